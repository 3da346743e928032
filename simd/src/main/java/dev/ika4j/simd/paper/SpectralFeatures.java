package dev.ika4j.simd.paper;

import dev.ika4j.api.reference.PaperMath;
import dev.ika4j.api.reference.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.PackedKeys;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-row half of the spectral kernel (section 3), computed once per row and never per pair:
 * phi of every query and key row under its query head's spectral points, and the importances.
 * Per (batch, query head), index {@code b * q_heads + h}:
 *
 * <ul>
 *   <li>{@code phiQ}: [q_seq, 2M] row-major, divided by 4M, so phiQ_i . phi_k_j = phi . phi / (4M)
 *       and kappa is its square;
 *   <li>{@code phiK}: phi of the keys, either packed in {@link PackedKeys} tiles (2M rows of TILE
 *       keys, zero-padded) for the quadratic form's GEMM micro-kernel, or [kv_seq, 2M] row-major
 *       for the linear form;
 *   <li>{@code keyImportance}: I(k_j) - shift, where shift is the largest I(k_j) over the batch's
 *       valid keys, so float32 logits stay small whatever the norms (the softmax is unchanged by a
 *       per-head constant); padded with 0 to whole tiles;
 *   <li>{@code rowConst}: I(q_i) + shift in float64, what the energy adds back.
 * </ul>
 *
 * a = c W^T x is a small GEMM done as axpy over M (c folded into W once); cos and sin are the
 * Vector API's lane-wise operators, M at a time.
 */
final class SpectralFeatures {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    final int m, width;
    final float[][] phiQ, phiK, keyImportance;
    final double[][] rowConst, shift;
    final boolean packed;

    private SpectralFeatures(AttentionProblem p, PaperPlan plan, boolean packed) {
        int n = p.batch * p.qHeads;
        this.m = plan.samples;
        this.width = 2 * m;
        this.packed = packed;
        this.phiQ = new float[n][];
        this.phiK = new float[n][];
        this.keyImportance = new float[n][];
        this.rowConst = new double[n][];
        this.shift = new double[n][];
    }

    /** Computes the features of every (batch, query head) on the pool. */
    static SpectralFeatures compute(AttentionProblem p, PaperPlan plan, WorkPool pool, boolean packed) {
        SpectralFeatures f = new SpectralFeatures(p, plan, packed);
        pool.run(p.batch * p.qHeads, () -> new Scratch(p, plan), (s, task) -> f.head(p, plan, s, task / p.qHeads, task % p.qHeads));
        return f;
    }

    /** One worker's buffers. */
    private static final class Scratch {
        final float[] w1, w2, a, b, row;
        final double[] rowD;

        Scratch(AttentionProblem p, PaperPlan plan) {
            int mPad = roundUp(plan.samples, L);
            w1 = new float[p.dim * mPad];
            w2 = new float[p.dim * mPad];
            a = new float[mPad];
            b = new float[mPad];
            row = new float[p.dim];
            rowD = new double[p.dim];
        }
    }

    private void head(AttentionProblem p, PaperPlan plan, Scratch s, int b, int h) {
        int idx = b * p.qHeads + h, kh = p.kvHead(h), d = p.dim, mPad = roundUp(m, L);
        // c W[:, h, :] as [d, mPad] floats, zero-padded, so the axpy over M has no tail.
        int wOff = plan.wOffset(b);
        double c = plan.frequencyScale;
        for (int r = 0; r < d; r++) {
            for (int t = 0; t < mPad; t++) {
                boolean in = t < m;
                int wi = wOff + (r * plan.heads + h) * m + t;
                s.w1[r * mPad + t] = in ? (float) (c * plan.w1[wi]) : 0f;
                s.w2[r * mPad + t] = in ? (float) (c * plan.w2[wi]) : 0f;
            }
        }
        float invFourM = (float) (1.0 / (4.0 * m));

        // Keys first: the shift (largest valid importance) is needed by the queries' energy offsets.
        int kvSeq = p.kvSeq, padded = packed ? PackedKeys.tilesFor(kvSeq) * PackedKeys.TILE : kvSeq;
        float[] pk = new float[Math.max(1, padded * width)];
        double[] ik = new double[kvSeq];
        double sh = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < kvSeq; j++) {
            p.presentKey.readRow(b, kh, j, s.row, 0);
            ik[j] = importance(s, d, plan);
            if (j < p.kvLengths[b] && ik[j] > sh) sh = ik[j];
            phi(s, d, mPad, 1f);
            if (packed) {
                int tile = j / PackedKeys.TILE, jj = j % PackedKeys.TILE, base = tile * PackedKeys.TILE * width;
                for (int t = 0; t < m; t++) {
                    pk[base + t * PackedKeys.TILE + jj] = s.a[t];
                    pk[base + (m + t) * PackedKeys.TILE + jj] = s.b[t];
                }
            } else {
                System.arraycopy(s.a, 0, pk, j * width, m);
                System.arraycopy(s.b, 0, pk, j * width + m, m);
            }
        }
        // NaN or no valid key: any finite shift will do, the softmax does not depend on it.
        if (!Double.isFinite(sh)) sh = 0;
        float[] kimp = new float[Math.max(1, padded)];
        for (int j = 0; j < kvSeq; j++) kimp[j] = (float) (ik[j] - sh);

        float[] pq = new float[p.qSeq * width];
        double[] rc = new double[p.qSeq];
        for (int i = 0; i < p.qSeq; i++) {
            p.q.readRow(b, h, i, s.row, 0);
            rc[i] = importance(s, d, plan) + sh;
            phi(s, d, mPad, invFourM);
            System.arraycopy(s.a, 0, pq, i * width, m);
            System.arraycopy(s.b, 0, pq, i * width + m, m);
        }
        phiQ[idx] = pq;
        phiK[idx] = pk;
        keyImportance[idx] = kimp;
        rowConst[idx] = rc;
        shift[idx] = new double[] {sh};
    }

    private static double importance(Scratch s, int d, PaperPlan plan) {
        for (int r = 0; r < d; r++) s.rowD[r] = s.row[r];
        return PaperMath.importance(s.rowD, 0, d, plan.p, plan.tau);
    }

    /**
     * phi of s.row times {@code factor}: s.a[0, M) = cos sums, s.b[0, M) = sin sums. Uses s.a and
     * s.b first as the projections c W1^T x and c W2^T x.
     */
    private void phi(Scratch s, int d, int mPad, float factor) {
        java.util.Arrays.fill(s.a, 0f);
        java.util.Arrays.fill(s.b, 0f);
        for (int r = 0; r < d; r++) {
            float x = s.row[r];
            VectorMath.axpy(x, s.w1, r * mPad, s.a, 0, mPad);
            VectorMath.axpy(x, s.w2, r * mPad, s.b, 0, mPad);
        }
        for (int t = 0; t < mPad; t += L) {
            FloatVector va = FloatVector.fromArray(SP, s.a, t), vb = FloatVector.fromArray(SP, s.b, t);
            FloatVector cos = va.lanewise(VectorOperators.COS).add(vb.lanewise(VectorOperators.COS)).mul(factor);
            FloatVector sin = va.lanewise(VectorOperators.SIN).add(vb.lanewise(VectorOperators.SIN)).mul(factor);
            cos.intoArray(s.a, t);
            sin.intoArray(s.b, t);
        }
    }

    static int roundUp(int x, int mult) {
        return (x + mult - 1) / mult * mult;
    }
}
