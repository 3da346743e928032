/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation, seeded: {@code kaiming_uniform_(w, a=sqrt(5))}, which for
 * gain sqrt(2 / (1 + a^2)) = sqrt(1/3) and bound gain * sqrt(3 / fan_in) is U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)); a Linear bias is U(-1/sqrt(fan_in), 1/sqrt(fan_in)) too.
 *
 * <p>fan_in follows {@code torch.nn.init._calculate_fan_in_and_fan_out}: for a tensor of shape
 * [d0, d1, d2, ...] it is d1 * d2 * ...; a Linear weight [out, in] has fan_in = in, and the authors'
 * [d, heads, M] spectral matrices have fan_in = heads * M.
 */
public final class Init {
    private Init() {}

    /** fan_in of a PyTorch tensor of this shape (rank >= 2). */
    public static int fanIn(int... shape) {
        if (shape.length < 2) throw new IllegalArgumentException("fan_in needs rank >= 2, got rank " + shape.length);
        int f = 1;
        for (int i = 1; i < shape.length; i++) f *= shape[i];
        return f;
    }

    /** Fills {@code p} with kaiming_uniform_(a = sqrt(5)) for its own shape. */
    public static void kaimingUniform(Param p, SplittableRandom rng) {
        uniform(p.value, 1.0 / Math.sqrt(fanIn(p.shape)), rng);
    }

    /** Fills {@code a} with U(-bound, bound). */
    public static void uniform(double[] a, double bound, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) a[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
}
