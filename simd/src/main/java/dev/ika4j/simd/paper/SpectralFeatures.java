/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.PackedKeys;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import jdk.incubator.vector.DoubleVector;
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
 * a = c W^T x is a small GEMM, 4 rows at a time, in float64 and in the reference's order of
 * operations (so the phases are the reference's, bit for bit), because the phases can be far too
 * large for float32 (a copula encoder can give W of 1e7); cos and sin come from {@link PhaseTrig},
 * which reduces them in float64, a vector of samples at a time.
 */
final class SpectralFeatures {
    private static final VectorSpecies<Double> SD = PhaseTrig.SD;
    private static final int L = VectorMath.LANES;
    private static final int LD = PhaseTrig.LANES;

    final int m, width;
    final float[][] phiQ, phiK, keyImportance;
    final double[][] rowConst;
    final boolean packed;

    private SpectralFeatures(AttentionProblem p, PaperPlan plan, boolean packed) {
        int n = p.batch() * p.qHeads();
        this.m = plan.samples;
        this.width = 2 * m;
        this.packed = packed;
        this.phiQ = new float[n][];
        this.phiK = new float[n][];
        this.keyImportance = new float[n][];
        this.rowConst = new double[n][];
    }

    /** Computes the features of every (batch, query head) on the pool. */
    static SpectralFeatures compute(AttentionProblem p, PaperPlan plan, WorkPool pool, boolean packed) {
        SpectralFeatures f = new SpectralFeatures(p, plan, packed);
        // Q and K in a thread-confined segment: the calling thread alone may read them.
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey());
        pool.run(p.batch() * p.qHeads(), parallel, () -> new Scratch(p, plan),
                (s, task) -> f.head(p, plan, s, task / p.qHeads(), task % p.qHeads()), s -> {});
        return f;
    }

    /** One worker's buffers. */
    private static final class Scratch {
        final int mPad;
        final double[] w1, w2, pa, pb;
        final float[] rows, cos, sin;
        final PhaseTrig.Work trig = new PhaseTrig.Work();

        Scratch(AttentionProblem p, PaperPlan plan) {
            mPad = roundUp(plan.samples, L);
            w1 = new double[p.dim() * mPad];
            w2 = new double[p.dim() * mPad];
            rows = new float[4 * p.dim()];
            pa = new double[4 * mPad];
            pb = new double[4 * mPad];
            cos = new float[mPad];
            sin = new float[mPad];
        }
    }

    private void head(AttentionProblem p, PaperPlan plan, Scratch s, int b, int h) {
        int idx = b * p.qHeads() + h, kh = p.kvHead(h), d = p.dim(), mPad = s.mPad;
        // W[:, h, :] as [d, mPad] doubles, zero-padded, so the projections need no tail.
        int wOff = plan.wOffset(b);
        double c = plan.frequencyScale;
        for (int r = 0; r < d; r++) {
            for (int t = 0; t < mPad; t++) {
                boolean in = t < m;
                int wi = wOff + (r * plan.heads + h) * m + t;
                s.w1[r * mPad + t] = in ? plan.w1[wi] : 0.0;
                s.w2[r * mPad + t] = in ? plan.w2[wi] : 0.0;
            }
        }
        double twoTau = 2 * plan.tau;

        // Keys first: the shift (largest valid importance) is needed by the queries' energy offsets.
        int kvSeq = p.kvSeq(), padded = packed ? PackedKeys.tilesFor(kvSeq) * PackedKeys.TILE : kvSeq;
        float[] pk = new float[Math.max(1, padded * width)];
        double[] ik = new double[kvSeq];
        double sh = Double.NEGATIVE_INFINITY;
        for (int j0 = 0; j0 < kvSeq; j0 += 4) {
            int n = Math.min(4, kvSeq - j0);
            for (int rr = 0; rr < 4; rr++) {
                if (rr < n) p.presentKey().readRow(b, kh, j0 + rr, s.rows, rr * d);
                else java.util.Arrays.fill(s.rows, rr * d, (rr + 1) * d, 0f);
            }
            project4(s, d, c);
            for (int rr = 0; rr < n; rr++) {
                int j = j0 + rr;
                ik[j] = RowNorms.lpNormSquared(s.rows, rr * d, d, plan.p) / twoTau;
                if (j < p.kvLength(b) && ik[j] > sh) sh = ik[j];
                PhaseTrig.phi(s.pa, s.pb, rr * mPad, mPad, 1.0, s.cos, s.sin, 0, s.trig);
                if (packed) {
                    int tile = j / PackedKeys.TILE, jj = j % PackedKeys.TILE, base = tile * PackedKeys.TILE * width;
                    for (int t = 0; t < m; t++) {
                        pk[base + t * PackedKeys.TILE + jj] = s.cos[t];
                        pk[base + (m + t) * PackedKeys.TILE + jj] = s.sin[t];
                    }
                } else {
                    System.arraycopy(s.cos, 0, pk, j * width, m);
                    System.arraycopy(s.sin, 0, pk, j * width + m, m);
                }
            }
        }
        // NaN or no valid key: any finite shift will do, the softmax does not depend on it.
        if (!Double.isFinite(sh)) sh = 0;
        float[] kimp = new float[Math.max(1, padded)];
        for (int j = 0; j < kvSeq; j++) kimp[j] = (float) (ik[j] - sh);

        double invFourM = 1.0 / (4.0 * m);
        float[] pq = new float[p.qSeq() * width];
        double[] rc = new double[p.qSeq()];
        for (int i0 = 0; i0 < p.qSeq(); i0 += 4) {
            int n = Math.min(4, p.qSeq() - i0);
            for (int rr = 0; rr < 4; rr++) {
                if (rr < n) p.q().readRow(b, h, i0 + rr, s.rows, rr * d);
                else java.util.Arrays.fill(s.rows, rr * d, (rr + 1) * d, 0f);
            }
            project4(s, d, c);
            for (int rr = 0; rr < n; rr++) {
                int i = i0 + rr;
                rc[i] = RowNorms.lpNormSquared(s.rows, rr * d, d, plan.p) / twoTau + sh;
                PhaseTrig.phi(s.pa, s.pb, rr * mPad, mPad, invFourM, s.cos, s.sin, 0, s.trig);
                System.arraycopy(s.cos, 0, pq, i * width, m);
                System.arraycopy(s.sin, 0, pq, i * width + m, m);
            }
        }
        phiQ[idx] = pq;
        phiK[idx] = pk;
        keyImportance[idx] = kimp;
        rowConst[idx] = rc;
    }

    /**
     * The phases c (W1^T x) and c (W2^T x) of the 4 rows in s.rows into s.pa, s.pb ([4, mPad]): a
     * [4, d] x [d, mPad] product in float64, 4 rows x one vector of samples x both W per step, so
     * each W vector loaded feeds 4 products. Multiply then add, in the order of r, then times c:
     * exactly the reference's operations, so the phases agree with it to the bit.
     */
    private static void project4(Scratch s, int d, double c) {
        int mPad = s.mPad;
        float[] x = s.rows;
        for (int t = 0; t < mPad; t += LD) {
            DoubleVector a0 = DoubleVector.zero(SD), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int r = 0; r < d; r++) {
                DoubleVector wa = DoubleVector.fromArray(SD, s.w1, r * mPad + t), wb = DoubleVector.fromArray(SD, s.w2, r * mPad + t);
                DoubleVector x0 = DoubleVector.broadcast(SD, x[r]), x1 = DoubleVector.broadcast(SD, x[d + r]);
                DoubleVector x2 = DoubleVector.broadcast(SD, x[2 * d + r]), x3 = DoubleVector.broadcast(SD, x[3 * d + r]);
                // One FMA where a multiply and an add were: half the operations (VectorMath.FAST_FMA as elsewhere).
                if (VectorMath.FAST_FMA) {
                    a0 = wa.fma(x0, a0);
                    a1 = wa.fma(x1, a1);
                    a2 = wa.fma(x2, a2);
                    a3 = wa.fma(x3, a3);
                    b0 = wb.fma(x0, b0);
                    b1 = wb.fma(x1, b1);
                    b2 = wb.fma(x2, b2);
                    b3 = wb.fma(x3, b3);
                } else {
                    a0 = a0.add(wa.mul(x0));
                    a1 = a1.add(wa.mul(x1));
                    a2 = a2.add(wa.mul(x2));
                    a3 = a3.add(wa.mul(x3));
                    b0 = b0.add(wb.mul(x0));
                    b1 = b1.add(wb.mul(x1));
                    b2 = b2.add(wb.mul(x2));
                    b3 = b3.add(wb.mul(x3));
                }
            }
            a0.mul(c).intoArray(s.pa, t);
            a1.mul(c).intoArray(s.pa, mPad + t);
            a2.mul(c).intoArray(s.pa, 2 * mPad + t);
            a3.mul(c).intoArray(s.pa, 3 * mPad + t);
            b0.mul(c).intoArray(s.pb, t);
            b1.mul(c).intoArray(s.pb, mPad + t);
            b2.mul(c).intoArray(s.pb, 2 * mPad + t);
            b3.mul(c).intoArray(s.pb, 3 * mPad + t);
        }
    }

    static int roundUp(int x, int mult) {
        return (x + mult - 1) / mult * mult;
    }
}
