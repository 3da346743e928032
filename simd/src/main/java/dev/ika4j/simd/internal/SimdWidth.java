/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Settings;
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
        String v = FmaSupport.setting();
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        // Unknown (not HotSpot, or no jdk.management): assume the common case, a CPU with FMA.
        if (FmaSupport.vmUsesFma() == FmaSupport.VmFma.NO) return false;
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64")) return !System.getProperty("os.name", "").startsWith("Mac");
        if (FmaSupport.isAmd()) return bits >= 256;
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
