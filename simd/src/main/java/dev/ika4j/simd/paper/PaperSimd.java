/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.BlockScratch;
import dev.ika4j.simd.internal.ScratchPool;
import dev.ika4j.simd.internal.WorkPool;

/**
 * The paper's kernels on the Vector API. The per-call float64 work that does not depend on the
 * sequence (checks, tau, drawing and generating W, the copula) is the reference's own
 * {@link PaperPlan}, so both CPU backends use the same W for the same noise; everything per row
 * and per pair is float32 and vectorised here.
 */
public final class PaperSimd {
    private PaperSimd() {}

    /** Computes a paper-kernel problem; returns the kernel's regulariser. */
    public static double compute(AttentionProblem p, Tensor out, Tensor energy, WorkPool pool, ScratchPool<BlockScratch> scratch) {
        PaperPlan plan = PaperPlan.of(p);
        switch (plan.form) {
            case RBF -> RbfAttention.compute(p, plan, out, energy, pool, scratch);
            case SPECTRAL -> {
                if (plan.linear) {
                    LinearSpectralAttention.compute(p, plan, out, pool);
                } else {
                    SpectralAttention.compute(p, plan, out, energy, pool, scratch);
                }
            }
        }
        return plan.regularizer;
    }
}
