/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * The JIT's total compile time so far, for {@link WarmUp}: a kernel whose call times look steady
 * may still be recompiled by C2 a few hundred calls later (a loop peeled, a vector loop
 * re-formed), and that late compilation is what a first real call would otherwise pay for.
 *
 * <p>The {@code java.management} module is optional ({@code requires static}): a trimmed runtime
 * image may lack it, and on the module path it is only resolved when something requires it. Then
 * the compile time is unknown and the warm-up relies on call times alone.
 */
final class JitActivity {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("java.management").isPresent()
            && Probe.supported();

    private JitActivity() {}

    /** Milliseconds the JIT has spent compiling since the JVM started, or -1 where unknown. */
    static long totalCompileMillis() {
        return AVAILABLE ? Probe.millis() : -1;
    }

    /** Kept apart so that its java.management classes load only when the module is there. */
    private static final class Probe {
        static boolean supported() {
            var bean = java.lang.management.ManagementFactory.getCompilationMXBean();
            return bean != null && bean.isCompilationTimeMonitoringSupported();
        }

        static long millis() {
            return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        }
    }
}
