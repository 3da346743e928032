/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Objects;

/**
 * Section 3 of the paper, IKA-direct: a non-stationary random-Fourier kernel whose spectral points
 * W1, W2 are learned parameters, one [d, M] slice per query head (see {@link IkaOptions} for the
 * logit). The layout [d, heads, M] is the authors' ({@code AttSharedW.w1}).
 *
 * @param w1      spectral points [d, q_heads, M]
 * @param w2      spectral points [d, q_heads, M], same shape as w1
 * @param options c, p, preset/tau, eps, linear-time mode
 */
public record IkaDirectKernel(ParamTensor w1, ParamTensor w2, IkaOptions options) implements PaperKernel {
    public IkaDirectKernel {
        Checks.rank("w1", w1, 3, "[d, heads, M]");
        Checks.rank("w2", w2, 3, "[d, heads, M]");
        if (!w1.hasShape(w2.shape())) {
            throw new IllegalArgumentException("w1 " + w1.shapeString() + " and w2 " + w2.shapeString() + " must have the same shape [d, heads, M]");
        }
        Objects.requireNonNull(options, "options");
    }

    public IkaDirectKernel(ParamTensor w1, ParamTensor w2) {
        this(w1, w2, IkaOptions.DEFAULT);
    }

    /**
     * Stationary IKA: one set of spectral points, W2 tied to W1. Then phi(q) . phi(k) =
     * 4 sum_m cos(c w_m . (q - k)), so the kernel depends on q - k only (the importance terms still
     * depend on q and k). The one parameter's gradient is the sum of the two,
     * {@link dev.ika4j.api.KernelGradient.Direct#tied()}.
     *
     * @param w spectral points [d, q_heads, M]
     */
    public static IkaDirectKernel stationary(ParamTensor w, IkaOptions options) {
        return new IkaDirectKernel(w, w, options);
    }

    /** Whether W2 equals W1 (a {@link #stationary} kernel, or one built with equal points). */
    public boolean isStationary() {
        return w1 == w2 || w1.equals(w2);
    }

    public int headDim() { return w1.dim(0); }
    public int heads() { return w1.dim(1); }
    /** M, the number of spectral samples. */
    public int samples() { return w1.dim(2); }

    public IkaDirectKernel withOptions(IkaOptions o) { return new IkaDirectKernel(w1, w2, o); }

    @Override
    public String name() {
        return "ika-direct";
    }
}
