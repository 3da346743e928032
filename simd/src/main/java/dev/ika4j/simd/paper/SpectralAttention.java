/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.ImportanceDropout;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.BlockDriver;
import dev.ika4j.simd.internal.BlockKernel;
import dev.ika4j.simd.internal.BlockScratch;
import dev.ika4j.simd.internal.DropoutFactors;
import dev.ika4j.simd.internal.ScratchPool;
import dev.ika4j.simd.internal.StandardAttention;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The spectral kernel (sections 3 to 5) in its quadratic form as a {@link BlockKernel}: the
 * features phi of every query and key row are computed once per call ({@link SpectralFeatures}),
 * then per tile the dots phiQ . phiK come from the same GEMM micro-kernel as Q.K^T (the packed key
 * tiles hold phi(k) instead of k) and become logits log((phiQ . phiK)^2 + eps) + I(k_j) - shift
 * in place. I(q_i) and the shift are constant per row, so they are left out of the softmax and
 * only added to the energy.
 */
final class SpectralAttention implements BlockKernel {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    private final SpectralFeatures f;
    private final float eps;
    /** A zero key bias as wide as any key block, for the dropout path's plain log-kernel. */
    private static final float[] NO_BIAS = new float[BlockDriver.KEY_BLOCK];
    /** Importance dropout in training, or null. */
    private final ImportanceDropout dropout;

    private SpectralAttention(SpectralFeatures f, float eps, ImportanceDropout dropout) {
        this.f = f;
        this.eps = eps;
        this.dropout = dropout;
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, Tensor energy, WorkPool pool,
                        ScratchPool<BlockScratch> scratch) {
        SpectralFeatures f = SpectralFeatures.compute(p, plan, pool, true);
        BlockDriver.compute(p, new SpectralAttention(f, (float) plan.eps, ImportanceDropout.of(p.kernel())), out,
                energy, pool, scratch);
    }

    @Override
    public void beginBlock(AttentionProblem p, BlockScratch w, int b, int h, int kh, int i0, int rows, int keyEnd) {
        int idx = b * p.qHeads() + h;
        w.qSide = f.phiQ[idx];
        w.qOff = i0 * f.width;
        w.kSide = f.phiK[idx];
        w.keyBias = f.keyImportance[idx];
        w.block = b;
        w.blockHead = h;
        w.blockRow0 = i0;
    }

    @Override
    public void logits(AttentionProblem p, BlockScratch w, int rows, int j0, int width) {
        StandardAttention.tiles(w, f.width, rows, j0, width);
        float[] s = w.s, kimp = w.keyBias;
        if (dropout != null) {
            droppedLogits(p, w, rows, j0, width);
            return;
        }
        for (int r = 0; r < rows; r++) logits(s, r * BlockDriver.KEY_BLOCK, width, eps, kimp, j0);
    }

    /**
     * With importance dropout the importance is no longer a per-key bias plus a row constant:
     * s = log(s^2 + eps) + f_ij (I(q_i) + I(k_j)), the factor from the dropout's hash, in full
     * (so the energy offset is 0).
     */
    private void droppedLogits(AttentionProblem p, BlockScratch w, int rows, int j0, int width) {
        // I(q_i) + I(k_j) = rowConst_i + keyImportance_j: the features' shift cancels in the sum.
        float[] s = w.s, kimp = w.keyBias;
        double[] rc = f.rowConst[w.block * p.qHeads() + w.blockHead], fac = w.dropoutFactors;
        int n = p.kvSeq();
        for (int r = 0; r < rows; r++) {
            int off = r * BlockDriver.KEY_BLOCK, i = w.blockRow0 + r;
            logits(s, off, width, eps, NO_BIAS, 0);
            int jn = Math.min(j0 + width, n);
            DropoutFactors.fill(dropout, w.block, w.blockHead, i, j0, jn, fac, 0);
            for (int j = j0; j < jn; j++) s[off + j - j0] += (float) (fac[j - j0] * (rc[i] + kimp[j]));
        }
    }

    @Override
    public double energyOffset(AttentionProblem p, BlockScratch w, int b, int h, int i) {
        return dropout != null ? 0 : f.rowConst[b * p.qHeads() + h][i];
    }

    /** s = log(s^2 + eps) + kimp[j0 + .] over s[off, off + width), width a multiple of the lanes. */
    static void logits(float[] s, int off, int width, float eps, float[] kimp, int j0) {
        for (int jj = 0; jj < width; jj += L) {
            FloatVector dot = FloatVector.fromArray(SP, s, off + jj);
            FloatVector x = VectorMath.fma(dot, dot, FloatVector.broadcast(SP, eps));
            PaperVectorMath.logFast(x).add(FloatVector.fromArray(SP, kimp, j0 + jj)).intoArray(s, off + jj);
        }
    }
}
