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
 * The RBF-times-importance kernel (sections 1 and 2) at the cost of standard attention. Since
 * -|q-k|^2 / (2 tau) = (2 q.k - |q|_2^2 - |k|_2^2) / (2 tau), the logit is
 *
 * <pre>
 *   q.k / tau + (|k|_p^2 - |k|_2^2) / (2 tau) + (|q|_p^2 - |q|_2^2) / (2 tau)
 * </pre>
 *
 * exactly: the standard Q.K^T micro-kernel with scale 1/tau plus a per-key bias that vanishes at
 * p = 2, and a per-row term that cancels in the softmax and is only added to the energy. This form
 * also avoids the cancellation of the literal one when norms are large.
 */
final class RbfAttention {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int TILE = PackedKeys.TILE;
    static final int QUERY_BLOCK = 64;
    static final int KEY_BLOCK = 4 * TILE;

    private RbfAttention() {}

    private static final class Scratch {
        final PackedKeys keys = new PackedKeys();
        final PackedValues values = new PackedValues();
        final OnlineSoftmax softmax;
        final float[] q, s = new float[QUERY_BLOCK * KEY_BLOCK], energyRow = new float[KEY_BLOCK];
        final float[] rowF;

        Scratch(AttentionProblem p) {
            softmax = new OnlineSoftmax(QUERY_BLOCK, p.vDim());
            q = new float[QUERY_BLOCK * p.dim()];
            rowF = new float[p.dim()];
        }
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, Tensor energy, WorkPool pool) {
        boolean l2 = plan.p == 2.0;
        // (|k|_p^2 - |k|_2^2) / (2 tau) per (batch, kv head, key), padded to whole tiles; none at p = 2.
        float[][] keyBias = l2 ? null : new float[p.batch() * p.kvHeads()][];
        if (!l2) {
            pool.run(p.batch() * p.kvHeads(), () -> new Scratch(p), (w, task) -> {
                int b = task / p.kvHeads(), kh = task % p.kvHeads();
                float[] kb = new float[PackedKeys.tilesFor(p.kvSeq()) * TILE];
                for (int j = 0; j < p.kvSeq(); j++) kb[j] = (float) correction(p.presentKey(), b, kh, j, w, plan);
                keyBias[task] = kb;
            });
        }
        int blocks = (p.qSeq() + QUERY_BLOCK - 1) / QUERY_BLOCK;
        pool.run(p.batch() * p.qHeads() * blocks, () -> new Scratch(p), (w, task) -> {
            int qb = task % blocks, bh = task / blocks;
            if (p.causal()) qb = blocks - 1 - qb;
            int b = bh / p.qHeads(), h = bh % p.qHeads(), i0 = qb * QUERY_BLOCK;
            float[] kb = keyBias == null ? null : keyBias[b * p.kvHeads() + p.kvHead(h)];
            queryBlock(p, plan, kb, out, energy, w, b, h, i0, Math.min(QUERY_BLOCK, p.qSeq() - i0));
        });
    }

    /** (|x|_p^2 - |x|_2^2) / (2 tau) for row (b, h, i) of t. */
    private static double correction(Tensor t, int b, int h, int i, Scratch w, PaperPlan plan) {
        t.readRow(b, h, i, w.rowF, 0);
        int d = w.rowF.length;
        return (RowNorms.lpNormSquared(w.rowF, 0, d, plan.p) - RowNorms.lpNormSquared(w.rowF, 0, d, 2.0)) / (2 * plan.tau);
    }

    private static void queryBlock(AttentionProblem p, PaperPlan plan, float[] keyBias, Tensor out, Tensor energy, Scratch w,
                                   int b, int h, int i0, int rows) {
        int kh = p.kvHead(h), dim = p.dim();
        int keyEnd = p.keyLimit(b, i0 + rows - 1);
        w.keys.bind(p.presentKey(), b, kh);
        w.values.bind(p.presentValue(), b, kh);
        w.keys.ensure(keyEnd);
        w.values.ensure(keyEnd);
        float[] q = w.q;
        for (int r = 0; r < rows; r++) p.q().readRow(b, h, i0 + r, q, r * dim);
        VectorMath.scale(q, 0, rows * dim, (float) (1.0 / plan.tau));
        float[] s = w.s, kt = w.keys.data();
        OnlineSoftmax softmax = w.softmax;
        softmax.reset(rows);
        int written = 0;
        for (int j0 = 0; j0 < keyEnd; j0 += KEY_BLOCK) {
            int width = Math.min(KEY_BLOCK, roundUp(keyEnd - j0, TILE));
            for (int t = 0; t < width; t += TILE) {
                StandardLogits.tile(q, 0, rows, dim, kt, w.keys.tileOffset((j0 + t) / TILE), s, t, KEY_BLOCK);
            }
            for (int r = 0; r < rows; r++) {
                int off = r * KEY_BLOCK;
                if (keyBias != null) {
                    for (int jj = 0; jj < width; jj += L) {
                        FloatVector.fromArray(SP, s, off + jj).add(FloatVector.fromArray(SP, keyBias, j0 + jj)).intoArray(s, off + jj);
                    }
                }
                LogitMask.apply(p, b, h, i0 + r, s, off, j0, width);
                if (energy != null) {
                    int n = Math.min(width, p.kvSeq() - j0);
                    double c = keyBias == null ? 0 : correction(p.q(), b, h, i0 + r, w, plan);
                    float[] e = w.energyRow;
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

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }
}
