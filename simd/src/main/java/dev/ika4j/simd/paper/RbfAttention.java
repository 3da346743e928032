/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.BlockDriver;
import dev.ika4j.simd.internal.BlockKernel;
import dev.ika4j.simd.internal.BlockScratch;
import dev.ika4j.simd.internal.PackedKeys;
import dev.ika4j.simd.internal.ScratchPool;
import dev.ika4j.simd.internal.StandardAttention;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The RBF-times-importance kernel (sections 1 and 2) at the cost of standard attention. Since
 * -|q-k|^2 / (2 tau) = (2 q.k - |q|_2^2 - |k|_2^2) / (2 tau), the logit is
 *
 * <pre>
 *   q.k / tau + (|k|_p^2 - |k|_2^2) / (2 tau) + (|q|_p^2 - |q|_2^2) / (2 tau)
 * </pre>
 *
 * exactly: the standard Q.K^T micro-kernel with scale 1/tau plus a per-key bias that vanishes at
 * p = 2, and a per-row term that cancels in the softmax and is only added to the energy. This form
 * also avoids the cancellation of the literal one when norms are large. The per-key bias is
 * computed once per call, before the block loop, on the pool.
 */
final class RbfAttention implements BlockKernel {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int TILE = PackedKeys.TILE;

    private final PaperPlan plan;
    private final float invTau;
    /** (|k|_p^2 - |k|_2^2) / (2 tau) per (batch, kv head), padded to whole tiles; null at p = 2. */
    private final float[][] keyBias;

    private RbfAttention(PaperPlan plan, float[][] keyBias) {
        this.plan = plan;
        this.invTau = (float) (1.0 / plan.tau);
        this.keyBias = keyBias;
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, Tensor energy, WorkPool pool,
                        ScratchPool<BlockScratch> scratch) {
        float[][] keyBias = null;
        if (plan.p != 2.0) {
            float[][] kb = keyBias = new float[p.batch() * p.kvHeads()][];
            boolean parallel = WorkPool.shareable(p.presentKey());
            pool.run(p.batch() * p.kvHeads(), parallel, () -> new float[p.dim()], (row, task) -> {
                int b = task / p.kvHeads(), kh = task % p.kvHeads();
                float[] bias = new float[PackedKeys.tilesFor(p.kvSeq()) * TILE];
                for (int j = 0; j < p.kvSeq(); j++) bias[j] = (float) correction(p.presentKey(), b, kh, j, row, p.dim(), plan);
                kb[task] = bias;
            }, row -> {});
        }
        BlockDriver.compute(p, new RbfAttention(plan, keyBias), out, energy, pool, scratch);
    }

    /** (|x|_p^2 - |x|_2^2) / (2 tau) for row (b, h, i) of t. */
    private static double correction(Tensor t, int b, int h, int i, float[] row, int d, PaperPlan plan) {
        t.readRow(b, h, i, row, 0);
        return (RowNorms.lpNormSquared(row, 0, d, plan.p) - RowNorms.lpNormSquared(row, 0, d, 2.0)) / (2 * plan.tau);
    }

    @Override
    public void beginBlock(AttentionProblem p, BlockScratch w, int b, int h, int kh, int i0, int rows, int keyEnd) {
        w.keys.bind(p.presentKey(), b, kh);
        w.keys.ensure(keyEnd);
        int dim = p.dim();
        float[] q = w.q;
        for (int r = 0; r < rows; r++) p.q().readRow(b, h, i0 + r, q, r * dim);
        VectorMath.scale(q, 0, rows * dim, invTau);
        w.qSide = q;
        w.qOff = 0;
        w.kSide = w.keys.data();
        w.keyBias = keyBias == null ? null : keyBias[b * p.kvHeads() + kh];
    }

    @Override
    public void logits(AttentionProblem p, BlockScratch w, int rows, int j0, int width) {
        StandardAttention.tiles(w, p.dim(), rows, j0, width);
        float[] bias = w.keyBias, s = w.s;
        if (bias == null) return;
        for (int r = 0; r < rows; r++) {
            int off = r * BlockDriver.KEY_BLOCK;
            for (int jj = 0; jj < width; jj += L) {
                FloatVector.fromArray(SP, s, off + jj).add(FloatVector.fromArray(SP, bias, j0 + jj)).intoArray(s, off + jj);
            }
        }
    }

    @Override
    public double energyOffset(AttentionProblem p, BlockScratch w, int b, int h, int i) {
        if (keyBias == null) return 0;
        if (w.tmp.length < p.dim()) w.tmp = new float[p.dim()];
        return correction(p.q(), b, h, i, w.tmp, p.dim(), plan);
    }
}
