/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether fused multiply-add is a hardware instruction in this JVM, for the simd kernels
 * ({@link SimdWidth#fastFma}) and the portable ones. Touches no Vector API class, so the
 * portable backend may ask it on a JVM without {@code jdk.incubator.vector}.
 */
public final class FmaSupport {
    /** What the JVM says of {@code -XX:UseFMA}. */
    public enum VmFma { YES, NO, UNKNOWN }

    private FmaSupport() {}

    /**
     * The {@code ika.simd.fma} setting: {@code "true"}, {@code "false"} or {@code "auto"}; an
     * unreadable value counts as {@code auto} (detection is the safe choice, and the setting's
     * own check reports it elsewhere).
     */
    public static String setting() {
        try {
            return Settings.SIMD_FMA.get("auto");
        } catch (IllegalArgumentException e) {
            return "auto";
        }
    }

    /**
     * HotSpot's {@code UseFMA} flag (on by default where the CPU has FMA). UNKNOWN where the JVM
     * cannot be asked: not HotSpot, or no {@code jdk.management} module (a trimmed image).
     */
    public static VmFma vmUsesFma() {
        if (ModuleLayer.boot().findModule("jdk.management").isEmpty()) return VmFma.UNKNOWN;
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) return VmFma.UNKNOWN;
            return Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue()) ? VmFma.YES : VmFma.NO;
        } catch (RuntimeException | LinkageError notHotSpot) {
            return VmFma.UNKNOWN;
        }
    }

    static boolean isAmd() {
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(info)) return false;
            try (var lines = Files.lines(info)) {
                return lines.filter(l -> l.startsWith("vendor_id")).findFirst().map(l -> l.contains("AuthenticAMD")).orElse(false);
            }
        } catch (Exception e) {
            return false;
        }
    }
}
