/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.BackendProvider;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Registers the Vector API backend. It is available only where the Vector API is actually fast,
 * checked in the style of Lucene's VectorizationProvider: the {@code jdk.incubator.vector} module
 * is present and readable, the C2 compiler is on (without it the Vector API runs as slow boxed
 * Java), and the preferred vector species is at least 128 bits. Otherwise it says why, and
 * {@code auto} falls back to the portable backend (plain Java, float32), which logs this reason.
 *
 * <p>No Vector API class is touched until the module check has passed (loading one without the
 * module would fail with a linkage error), and nothing is computed until asked.
 */
public final class SimdProvider implements BackendProvider {
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private volatile Availability availability;

    @Override
    public String name() {
        return SimdBackend.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) availability = a = probe();
        return a;
    }

    @Override
    public AttentionBackend create(BackendConfig config) {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("simd backend unavailable: " + a.reason());
        return new SimdBackend(config);
    }

    private static Availability probe() {
        Optional<Module> vectorModule;
        try {
            vectorModule = ModuleLayer.boot().findModule(VECTOR_MODULE);
        } catch (LinkageError | SecurityException e) {
            return Availability.no("cannot look up module " + VECTOR_MODULE + ": " + e);
        }
        if (vectorModule.isEmpty()) {
            return Availability.no("the Java Vector API module is not loaded; run java with --add-modules "
                    + VECTOR_MODULE + " (the ./ika launcher does)");
        }
        Module self = SimdProvider.class.getModule();
        if (!self.canRead(vectorModule.get())) {
            return Availability.no("module " + self.getName() + " cannot read " + VECTOR_MODULE);
        }
        String noC2 = c2Missing();
        if (noC2 != null) {
            return Availability.no("the C2 JIT compiler is off (" + noC2
                    + "); without it the Vector API runs far slower than scalar code");
        }
        int bits;
        try {
            bits = VectorProbe.preferredBits();
        } catch (LinkageError | RuntimeException e) {
            return Availability.no("the Vector API failed to initialise: " + e);
        }
        if (bits < 128) {
            return Availability.no("the preferred vector width is " + bits + " bits; at least 128 are needed");
        }
        String width = VectorProbe.widthProblem();
        if (width != null) return Availability.no(width);
        int used = VectorProbe.usedBits();
        return Availability.yes("Vector API, " + used + "-bit vectors (" + used / 32 + " float lanes)"
                + (used < bits ? ", narrowed from " + bits + " by " + dev.ika4j.simd.internal.SimdWidth.VECTOR_BITS : ""));
    }

    /**
     * Why C2 is unavailable, or null when it is on: -Xint, a compilation mode without C2
     * (-XX:TieredStopAtLevel below 4 with tiered compilation, or a client-emulating mode).
     */
    static String c2Missing() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) return "-Xint";
        if (info.contains("emulated-client")) return "the VM emulates a client VM (C1 only)";
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) return null;
            boolean tiered = Boolean.parseBoolean(bean.getVMOption("TieredCompilation").getValue());
            int stop = Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue());
            if (tiered && stop < 4) return "-XX:TieredStopAtLevel=" + stop;
            if (!Boolean.parseBoolean(bean.getVMOption("UseCompiler").getValue())) return "-XX:-UseCompiler";
        } catch (RuntimeException | LinkageError notHotSpot) {
            // Not HotSpot, or jdk.management absent (a trimmed runtime image; simd requires it
            // only statically): the vm.info check above is all we can do.
        }
        return null;
    }

    /** Kept in its own class so that the Vector API is loaded only after the module check. */
    private static final class VectorProbe {
        static int preferredBits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }

        static String widthProblem() {
            return dev.ika4j.simd.internal.SimdWidth.problem();
        }

        static int usedBits() {
            return dev.ika4j.simd.internal.VectorMath.SPECIES.vectorBitSize();
        }
    }
}
