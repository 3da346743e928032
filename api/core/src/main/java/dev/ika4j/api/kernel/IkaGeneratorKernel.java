/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Objects;

/**
 * Section 4 of the paper: IKA whose spectral points come from an implicit generator. Per call,
 * noise z of shape [d, q_heads, M] (standard normal, from {@link NoiseSource}) goes through two
 * generators, W1 = g1(z) and W2 = g2(z) (the same z, as in the authors' code), and the logits are
 * those of {@link IkaDirectKernel} with these W.
 *
 * @param g1      generator of W1
 * @param g2      generator of W2
 * @param samples M, the number of spectral samples per head, >= 1
 * @param noise   the caller's noise [d, q_heads, M], or a seed with training/inference mode
 * @param options c, p, preset/tau, eps, linear-time mode
 */
public record IkaGeneratorKernel(SpectralGenerator g1, SpectralGenerator g2, int samples, NoiseSource noise, IkaOptions options)
        implements PaperKernel {
    public IkaGeneratorKernel {
        Objects.requireNonNull(g1, "g1");
        Objects.requireNonNull(g2, "g2");
        if (g1.headDim() != g2.headDim()) {
            throw new IllegalArgumentException("g1 (d = " + g1.headDim() + ") and g2 (d = " + g2.headDim() + ") must map the same head_dim");
        }
        if (samples < 1) throw new IllegalArgumentException("samples (M) must be >= 1, got " + samples);
        Objects.requireNonNull(noise, "noise");
        if (noise.isFixed()) {
            ParamTensor z = noise.fixedNoise();
            if (z.rank() != 3 || z.dim(0) != g1.headDim() || z.dim(2) != samples) {
                throw new IllegalArgumentException("noise must have shape [d, heads, M] = [" + g1.headDim() + ", heads, " + samples
                        + "], got " + z.shapeString());
            }
        }
        Objects.requireNonNull(options, "options");
    }

    /**
     * Stationary IKA with a generator: one generator for both sets of points, so that the same noise
     * gives W2 = W1 and the kernel depends on q - k only. The one generator's gradient is the sum of
     * the two, {@link dev.ika4j.api.KernelGradient.Generator#tied()}.
     */
    public static IkaGeneratorKernel stationary(SpectralGenerator g, int samples, NoiseSource noise, IkaOptions options) {
        return new IkaGeneratorKernel(g, g, samples, noise, options);
    }

    /** Whether both generators are the same (a {@link #stationary} kernel): then W2 = W1. */
    public boolean isStationary() {
        return g1 == g2 || g1.equals(g2);
    }

    public IkaGeneratorKernel withOptions(IkaOptions o) { return new IkaGeneratorKernel(g1, g2, samples, noise, o); }

    public IkaGeneratorKernel withNoise(NoiseSource n) { return new IkaGeneratorKernel(g1, g2, samples, n, options); }

    @Override
    public String name() {
        return "ika-generator";
    }
}
