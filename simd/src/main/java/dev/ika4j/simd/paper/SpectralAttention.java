/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.ImportanceDropout;
import dev.ika4j.api.internal.plan.PaperMath;
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
    /** Importance dropout in training, or null; then I(q_i) per (batch, query head) and I(k_j) per (batch, kv head). */
    private final ImportanceDropout dropout;
    private final float[][] qImp, kImp;

    private SpectralAttention(SpectralFeatures f, float eps, ImportanceDropout dropout, float[][] qImp, float[][] kImp) {
        this.f = f;
        this.eps = eps;
        this.dropout = dropout;
        this.qImp = qImp;
        this.kImp = kImp;
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, Tensor energy, WorkPool pool,
                        ScratchPool<BlockScratch> scratch) {
        SpectralFeatures f = SpectralFeatures.compute(p, plan, pool, true);
        ImportanceDropout dropout = ImportanceDropout.of(p.kernel());
        float[][] qImp = null, kImp = null;
        if (dropout != null) {
            qImp = importances(p.q(), p.qSeq(), p.qSeq(), plan);
            kImp = importances(p.presentKey(), p.kvSeq(), PackedKeys.tilesFor(p.kvSeq()) * PackedKeys.TILE, plan);
        }
        BlockDriver.compute(p, new SpectralAttention(f, (float) plan.eps, dropout, qImp, kImp), out, energy, pool, scratch);
    }

    /** I_p(x) of the first n rows of every head of t, each head's array {@code length} long (padding zero). */
    private static float[][] importances(Tensor t, int n, int length, PaperPlan plan) {
        float[][] out = new float[t.batch() * t.heads()][];
        float[] row = new float[t.dim()];
        double[] x = new double[t.dim()];
        for (int b = 0; b < t.batch(); b++) {
            for (int h = 0; h < t.heads(); h++) {
                float[] a = out[b * t.heads() + h] = new float[length];
                for (int i = 0; i < n; i++) {
                    t.readRow(b, h, i, row, 0);
                    for (int c = 0; c < row.length; c++) x[c] = row[c];
                    a[i] = (float) PaperMath.importance(x, 0, x.length, plan.p, plan.tau);
                }
            }
        }
        return out;
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
        float[] s = w.s, zero = new float[width], qi = qImp[w.block * p.qHeads() + w.blockHead];
        float[] kj = kImp[w.block * p.kvHeads() + p.kvHead(w.blockHead)];
        int n = p.kvSeq();
        for (int r = 0; r < rows; r++) {
            int off = r * BlockDriver.KEY_BLOCK, i = w.blockRow0 + r;
            logits(s, off, width, eps, zero, 0);
            for (int jj = 0; jj < width && j0 + jj < n; jj++) {
                int j = j0 + jj;
                s[off + jj] += (float) (dropout.factor(w.block, w.blockHead, i, j) * (qi[i] + kj[j]));
            }
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
