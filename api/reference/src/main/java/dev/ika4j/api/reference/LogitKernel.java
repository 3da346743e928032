/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One kernel's share of {@link ReferenceBackward}: the raw logits of a (batch, query head) before
 * masking, and the chain rule from their gradient back to Q, K and the kernel's parameters.
 */
interface LogitKernel {
    /** Raw logits [q_seq][total_kv] of (b, h), before masks. */
    double[][] logits(int b, int h);

    /** Adds the gradients that {@code dLogit} (of the raw logits of (b, h)) implies to {@code g}. */
    void backward(int b, int h, double[][] dLogit, ReferenceBackward.Gradients g);

    /** The regulariser the kernel adds to the loss (0 for most kernels). */
    default double regularizer() {
        return 0.0;
    }

    /**
     * Called once after every (b, h) went through {@link #backward}: adds what depends on all of
     * them (gradients through shared generators) and {@code dReg} times the regulariser's gradient.
     */
    default void finish(double dReg, ReferenceBackward.Gradients g) {}

    /** Zero gradients, one array per learned parameter, in {@link Parameters#of} order. */
    default Map<String, double[]> zeroGradients() {
        return new LinkedHashMap<>();
    }

    /**
     * The logits of {@code p}'s kernel on the values {@code x}. {@code oneDraw}: a forward call, in
     * which a training-mode seed takes its next draw; otherwise its noise must be reproducible.
     */
    static LogitKernel of(AttentionProblem p, ReferenceBackward.Values x, boolean oneDraw) {
        return switch (p.kernel()) {
            case StandardKernel s -> new StandardLogits(p, x);
            case RbfImportanceKernel r -> new RbfLogits(p, x, r);
            case dev.ika4j.api.kernel.GatKernel g -> new GatLogits(p, x, g);
            case IkaDirectKernel k -> new SpectralLogits(p, x, k.options(), oneDraw);
            case IkaGeneratorKernel k -> new SpectralLogits(p, x, k.options(), oneDraw);
            case CopulaKernel k -> new SpectralLogits(p, x, k.options(), oneDraw);
        };
    }
}
