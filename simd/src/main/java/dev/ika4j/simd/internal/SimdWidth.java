/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two machine facts every kernel is compiled against, read once per JVM: the vector width
 * (setting {@code ika.simd.vectorBits}) and whether a vector FMA is fast here (setting
 * {@code ika.simd.fma}, default: detected). Kept apart from {@link VectorMath} so that
 * {@link #problem()} can check the setting without initialising any kernel class.
 */
public final class SimdWidth {
    /** System property: 128, 256 or 512; unset means the Vector API's preferred species. */
    public static final String VECTOR_BITS = Settings.SIMD_VECTOR_BITS.property();
    /** System property: true, false or auto (the default). */
    public static final String FMA = Settings.SIMD_FMA.property();

    private SimdWidth() {}

    /**
     * Why the width setting cannot be used, or null when it can: a value other than 128, 256 or
     * 512, or wider than this CPU's vectors (the Vector API would then run in slow Java).
     */
    public static String problem() {
        Optional<Integer> bits;
        try {
            bits = Settings.SIMD_VECTOR_BITS.read();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits.isPresent() && bits.get() > max) {
            return VECTOR_BITS + "=" + bits.get() + " is wider than this CPU's " + max + "-bit vectors";
        }
        return null;
    }

    /** The species the setting asks for; the preferred one when unset or unusable (see {@link #problem()}). */
    static VectorSpecies<Float> species() {
        if (problem() != null) return FloatVector.SPECIES_PREFERRED;
        return Settings.SIMD_VECTOR_BITS.read()
                .map(bits -> FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits)).check(float.class))
                .orElse(FloatVector.SPECIES_PREFERRED);
    }

    /**
     * Lucene's rule ({@code Constants.HAS_FAST_VECTOR_FMA}): the JVM must use FMA instructions at
     * all ({@code -XX:+UseFMA}, on by default where the CPU has them); on AMD before wide vectors
     * the fused form gains nothing, so it is used there only from 256-bit vectors; elsewhere on
     * x86 and on ARM it is. {@code ika.simd.fma=true|false} overrides the detection (tests run
     * the multiply-add form that way).
     */
    static boolean fastFma(int bits) {
        String v;
        try {
            v = Settings.SIMD_FMA.get("auto");
        } catch (IllegalArgumentException e) {
            v = "auto"; // reported by nothing else; the detection is the safe choice
        }
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        if (!vmUsesFma()) return false;
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64")) return !System.getProperty("os.name", "").startsWith("Mac");
        if (isAmd()) return bits >= 256;
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static boolean vmUsesFma() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null || Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) {
            return true; // no way to ask: assume the common case
        }
    }

    private static boolean isAmd() {
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
