/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.internal.plan.Importance;
import dev.ika4j.api.internal.plan.PaperMath;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * The backward of sections 1 and 2, logit_ij = -|q_i - k_j|^2 / (2 tau) + I_p(q_i) + I_p(k_j), in
 * float32 on the Vector API at the cost of standard attention's backward. As in the forward, the
 * logit is q_i.k_j / tau + c_j with the per-key term c_j = I_p(k_j) - |k_j|_2^2 / (2 tau), plus a
 * per-row term that cancels in the softmax. Per query row the logits and the softmax are
 * recomputed (never an L x L matrix), dS = P (dP - rowsum(P dP)) with dP = dO V^T, and then
 *
 * <pre>
 *   dq_i = (1/tau) sum_j dS_ij k_j
 *   dk_j = (1/tau) sum_i dS_ij q_i + colsum_j(dS) (dI_p(k_j) - k_j / tau)
 *   dV  += P^T dO
 * </pre>
 *
 * The row terms of dq_i (-q_i / tau + dI_p(q_i), times rowsum(dS)) vanish because every row of dS
 * sums to zero; the column terms are added once per key in float64 after the loop.
 */
final class RbfBackward {
    private RbfBackward() {}

    /** Returns {dq, dk, dv} flat BHSD; dk and dv over the present keys (past then new). */
    static float[][] run(AttentionProblem p, Tensor dOut) {
        PaperPlan plan = PaperPlan.of(p);
        if (!(plan.kernel instanceof RbfImportanceKernel)) throw new IllegalArgumentException("not an RBF kernel: " + plan);
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), d = p.dim(), dv = p.vDim();
        float invTau = (float) (1.0 / plan.tau);
        float[] dq = new float[p.batch() * p.qHeads() * p.qSeq() * d];
        float[] dk = new float[p.batch() * p.kvHeads() * n * d];
        float[] dvv = new float[p.batch() * p.kvHeads() * n * dv];
        float[] kT = new float[d * np], vT = new float[dv * np], dkT = new float[d * np], dvT = new float[dv * np];
        int R = RowBlock.ROWS;
        float[] l4 = new float[R * np], p4 = new float[R * np], dS4 = new float[R * np], bias = new float[np];
        float[] keyTerm = new float[np], colSum = new float[np];
        float[] q4 = new float[R * d], dO4 = new float[R * dv], dq4 = new float[R * d], row = new float[Math.max(d, dv)];
        boolean[] live = new boolean[R];
        double[] kRow = new double[d], dkRow = new double[d];
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                Transposed.load(p.presentKey(), b, kh, n, np, kT, row);
                Transposed.load(p.presentValue(), b, kh, n, np, vT, row);
                for (int j = 0; j < n; j++) keyTerm[j] = (float) keyTerm(p.presentKey(), b, kh, j, row, kRow, plan);
                java.util.Arrays.fill(dkT, 0f);
                java.util.Arrays.fill(dvT, 0f);
                java.util.Arrays.fill(colSum, 0f);
                for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
                    for (int i0 = 0; i0 < p.qSeq(); i0 += R) {
                        // four query rows at a time (RowBlock); q is held times 1/tau for the logits and dK
                        java.util.Arrays.fill(q4, 0f);
                        java.util.Arrays.fill(dO4, 0f);
                        for (int r = 0; r < R && i0 + r < p.qSeq(); r++) {
                            p.q().readRow(b, h, i0 + r, q4, r * d);
                            dOut.readRow(b, h, i0 + r, dO4, r * dv);
                        }
                        for (int x = 0; x < R * d; x++) q4[x] *= invTau;
                        RowBlock.products(q4, 0, d, kT, np, l4, 0);
                        for (int r = 0; r < R; r++) {
                            int i = i0 + r, o = r * np;
                            live[r] = false;
                            if (i < p.qSeq()) {
                                Rows.axpy(1f, keyTerm, 0, l4, o, np);
                                System.arraycopy(l4, o, dS4, 0, np);  // dS4's first row as scratch for the masked logits
                                KeyMasking.apply(p, b, h, i, dS4, bias, np);
                                live[r] = Rows.softmax(dS4, p4, o, np);
                            }
                            if (!live[r]) {
                                java.util.Arrays.fill(p4, o, o + np, 0f);
                                java.util.Arrays.fill(dO4, r * dv, (r + 1) * dv, 0f);
                            }
                        }
                        RowBlock.products(dO4, 0, dv, vT, np, dS4, 0);
                        RowBlock.update(dO4, 0, dv, p4, np, dvT);
                        for (int r = 0; r < R; r++) {
                            int o = r * np;
                            if (!live[r]) {
                                java.util.Arrays.fill(dS4, o, o + np, 0f);
                                continue;
                            }
                            Rows.softmaxBackward(p4, o, dS4, o, np);
                            for (int j = n; j < np; j++) dS4[o + j] = 0f;
                            Rows.axpy(1f, dS4, o, colSum, 0, np);
                        }
                        RowBlock.dots(dS4, kT, np, d, dq4, 0);
                        RowBlock.update(q4, 0, d, dS4, np, dkT);
                        for (int r = 0; r < R && i0 + r < p.qSeq(); r++) {
                            int qo = ((b * p.qHeads() + h) * p.qSeq() + i0 + r) * d;
                            if (live[r]) for (int c = 0; c < d; c++) dq[qo + c] = invTau * dq4[r * d + c];
                        }
                    }
                }
                int kBase = ((b * p.kvHeads() + kh) * n) * d;
                Transposed.store(dkT, np, dk, kBase, n, d);
                Transposed.store(dvT, np, dvv, ((b * p.kvHeads() + kh) * n) * dv, n, dv);
                for (int j = 0; j < n; j++) {
                    if (colSum[j] == 0f) continue;
                    p.presentKey().readRow(b, kh, j, row, 0);
                    for (int c = 0; c < d; c++) {
                        kRow[c] = row[c];
                        dkRow[c] = -colSum[j] * kRow[c] / plan.tau;
                    }
                    Importance.addGradient(kRow, 0, d, plan.p, plan.tau, colSum[j], dkRow, 0);
                    for (int c = 0; c < d; c++) dk[kBase + j * d + c] += (float) dkRow[c];
                }
            }
        }
        return new float[][] {dq, dk, dvv};
    }

    /** c_j = I_p(k_j) - |k_j|_2^2 / (2 tau) for key row (b, h, j), in float64. */
    private static double keyTerm(Tensor k, int b, int h, int j, float[] row, double[] kRow, PaperPlan plan) {
        k.readRow(b, h, j, row, 0);
        int d = k.dim();
        double sq = 0;
        for (int c = 0; c < d; c++) {
            kRow[c] = row[c];
            sq += kRow[c] * kRow[c];
        }
        return PaperMath.importance(kRow, 0, d, plan.p, plan.tau) - sq / (2 * plan.tau);
    }
}
