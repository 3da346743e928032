/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.kernel.ImportanceDropout;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The importance dropout's factors for a run of keys of one query row, the same values as
 * {@link ImportanceDropout#factor} entry by entry. The mask's hash chains five SplitMix64 rounds
 * over (seed, b, h, i, j); the first four depend on the row only, so they run once per row and each
 * key costs the last round alone (before: five rounds, ten 64-bit multiplies, per entry, which made
 * dropout the largest cost of a training step at head dim 8). That round runs on eight keys at a
 * time where 64-bit lane multiplies are one instruction (AVX-512, vpmullq); elsewhere the Vector API
 * would multiply lane by lane in Java, so the scalar round is used.
 */
public final class DropoutFactors {
    /** Long lanes of the hash; 8 with AVX-512. */
    private static final VectorSpecies<Long> L = LongVector.SPECIES_512;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;
    /** Whether the 512-bit long multiply is hardware here (see the class comment). */
    static final boolean VECTOR = LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L, M1 = 0xBF58476D1CE4E5B9L, M2 = 0x94D049BB133111EBL;

    private DropoutFactors() {}

    /**
     * out[off + j - j0] = d.factor(b, h, i, j) for j in [j0, j1): 0 where dropped, 1 / (1 - p)
     * where kept. {@code d} is active (callers hold null for no dropout).
     */
    public static void fill(ImportanceDropout d, int b, int h, int i, int j0, int j1, double[] out, int off) {
        fill(d, b, h, i, j0, j1, out, off, VECTOR);
    }

    static void fill(ImportanceDropout d, int b, int h, int i, int j0, int j1, double[] out, int off, boolean vector) {
        long row = mix(mix(mix(mix(d.seed() + GOLDEN) + b) + h) + i);
        // (z >>> 11) 2^-53 >= p, as ImportanceDropout.keep tests it, is (z >>> 11) >= ceil(p 2^53) on
        // integers: scaling by a power of two is exact, and z >>> 11 is an integer
        long threshold = (long) Math.ceil(d.rate() * 0x1p53);
        double kept = 1.0 / (1.0 - d.rate());
        int j = j0;
        if (vector) {
            LongVector base = LongVector.broadcast(L, row).add(LongVector.zero(L).addIndex(1));
            DoubleVector keptV = DoubleVector.broadcast(D, kept), zero = DoubleVector.zero(D);
            for (; j + L.length() <= j1; j += L.length()) {
                LongVector z = base.add(j);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(M1);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(M2);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                VectorMask<Long> keep = z.lanewise(VectorOperators.LSHR, 11).compare(VectorOperators.GE, threshold);
                zero.blend(keptV, keep.cast(D)).intoArray(out, off + j - j0);
            }
        }
        for (; j < j1; j++) out[off + j - j0] = mix(row + j) >>> 11 >= threshold ? kept : 0.0;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }
}
