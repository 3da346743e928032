package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.LogitMask;
import dev.ika4j.simd.internal.OnlineSoftmax;
import dev.ika4j.simd.internal.PackedKeys;
import dev.ika4j.simd.internal.PackedValues;
import dev.ika4j.simd.internal.StandardLogits;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The spectral kernel (sections 3 to 5) in its quadratic form, fused like standard attention: per
 * block of query rows and block of keys, the dots phiQ . phiK come from the same GEMM micro-kernel
 * as Q.K^T (the packed key tiles hold phi(k) instead of k), become logits
 * log((phiQ . phiK)^2 + eps) + I(k_j) - shift in place, are masked, and fold into the online
 * softmax. I(q_i) and the shift are constant per row, so they are left out of the softmax and only
 * added to the energy.
 */
final class SpectralAttention {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int TILE = PackedKeys.TILE;
    static final int QUERY_BLOCK = 64;
    static final int KEY_BLOCK = 4 * TILE;

    private SpectralAttention() {}

    private static final class Scratch {
        final PackedValues values = new PackedValues();
        final OnlineSoftmax softmax;
        final float[] s = new float[QUERY_BLOCK * KEY_BLOCK];
        final float[] energyRow = new float[KEY_BLOCK];

        Scratch(AttentionProblem p) {
            softmax = new OnlineSoftmax(QUERY_BLOCK, p.vDim());
        }
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, Tensor energy, WorkPool pool) {
        SpectralFeatures f = SpectralFeatures.compute(p, plan, pool, true);
        int blocks = (p.qSeq() + QUERY_BLOCK - 1) / QUERY_BLOCK;
        float eps = (float) plan.eps;
        pool.run(p.batch() * p.qHeads() * blocks, () -> new Scratch(p), (w, task) -> {
            int qb = task % blocks, bh = task / blocks;
            if (p.causal()) qb = blocks - 1 - qb; // largest causal blocks first, small ones fill the gaps
            int b = bh / p.qHeads(), h = bh % p.qHeads(), i0 = qb * QUERY_BLOCK;
            queryBlock(p, f, eps, out, energy, w, b, h, i0, Math.min(QUERY_BLOCK, p.qSeq() - i0));
        });
    }

    private static void queryBlock(AttentionProblem p, SpectralFeatures f, float eps, Tensor out, Tensor energy, Scratch w,
                                   int b, int h, int i0, int rows) {
        int idx = b * p.qHeads() + h, kh = p.kvHead(h), width2M = f.width;
        int keyEnd = p.keyLimit(b, i0 + rows - 1);
        w.values.bind(p.presentValue(), b, kh);
        w.values.ensure(keyEnd);
        float[] phiQ = f.phiQ[idx], phiK = f.phiK[idx], kimp = f.keyImportance[idx];
        double[] rowConst = f.rowConst[idx];
        float[] s = w.s;
        OnlineSoftmax softmax = w.softmax;
        softmax.reset(rows);
        int written = 0;
        for (int j0 = 0; j0 < keyEnd; j0 += KEY_BLOCK) {
            int width = Math.min(KEY_BLOCK, roundUp(keyEnd - j0, TILE));
            for (int t = 0; t < width; t += TILE) {
                StandardLogits.tile(phiQ, i0 * width2M, rows, width2M, phiK, ((j0 + t) / TILE) * TILE * width2M, s, t, KEY_BLOCK);
            }
            for (int r = 0; r < rows; r++) {
                int off = r * KEY_BLOCK;
                logits(s, off, width, eps, kimp, j0);
                LogitMask.apply(p, b, h, i0 + r, s, off, j0, width);
                if (energy != null) {
                    int n = Math.min(width, p.kvSeq() - j0);
                    float[] e = w.energyRow;
                    double c = rowConst[i0 + r];
                    for (int jj = 0; jj < n; jj++) e[jj] = (float) (s[off + jj] + c);
                    LogitMask.writeEnergy(energy, b, h, i0 + r, j0, e, 0, n);
                }
            }
            written = Math.min(p.kvSeq(), j0 + width);
            softmax.accumulate(s, KEY_BLOCK, rows, width, w.values, j0);
        }
        if (energy != null) {
            for (int r = 0; r < rows; r++) LogitMask.fillEnergyMasked(energy, b, h, i0 + r, written, p.kvSeq());
        }
        softmax.finish(rows, out, b, h, i0);
    }

    /** s = log(s^2 + eps) + kimp[j0 + .] over s[off, off + width), width a multiple of the lanes. */
    static void logits(float[] s, int off, int width, float eps, float[] kimp, int j0) {
        for (int jj = 0; jj < width; jj += L) {
            FloatVector dot = FloatVector.fromArray(SP, s, off + jj);
            PaperVectorMath.log(dot.fma(dot, FloatVector.broadcast(SP, eps))).add(FloatVector.fromArray(SP, kimp, j0 + jj)).intoArray(s, off + jj);
        }
    }

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }
}
