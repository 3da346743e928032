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
        float[] logits = new float[np], prob = new float[np], dProb = new float[np], bias = new float[np];
        float[] keyTerm = new float[np], colSum = new float[np];
        float[] q = new float[d], dO = new float[dv], row = new float[Math.max(d, dv)];
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
                    for (int i = 0; i < p.qSeq(); i++) {
                        p.q().readRow(b, h, i, q, 0);
                        dOut.readRow(b, h, i, dO, 0);
                        System.arraycopy(keyTerm, 0, logits, 0, np);
                        for (int c = 0; c < d; c++) Rows.axpy(q[c] * invTau, kT, c * np, logits, 0, np);
                        KeyMasking.apply(p, b, h, i, logits, bias, np);
                        if (!Rows.softmax(logits, prob, np)) continue;
                        java.util.Arrays.fill(dProb, 0f);
                        for (int c = 0; c < dv; c++) Rows.axpy(dO[c], vT, c * np, dProb, 0, np);
                        Rows.softmaxBackward(prob, dProb, np);
                        float[] dS = dProb;
                        for (int j = n; j < np; j++) dS[j] = 0f;
                        Rows.axpy(1f, dS, 0, colSum, 0, np);
                        int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
                        for (int c = 0; c < d; c++) {
                            dq[qo + c] = invTau * Rows.dot(dS, 0, kT, c * np, np);
                            Rows.axpy(q[c] * invTau, dS, 0, dkT, c * np, np);
                        }
                        for (int c = 0; c < dv; c++) Rows.axpy(dO[c], prob, 0, dvT, c * np, np);
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
