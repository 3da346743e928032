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
 * The backward of sections 1 and 2, logit_ij = -|q_i - k_j|^2 / (2 tau) + I_p(q_i) + I_p(k_j):
 * per query row the logits and the softmax are recomputed, dS = P (dP - rowsum(P dP)) with
 * dP = dO V^T, then dq_i = sum_j dS_ij (k_j - q_i) / tau + rowsum(dS) dI(q_i),
 * dk_j = sum_i dS_ij (q_i - k_j) / tau + colsum(dS) dI(k_j), dV += P^T dO. In float64 on the host
 * (these kernels cost d flops a logit, next to the spectral kernels' 4M); the plan checks the call.
 */
final class RbfBackward {
    private RbfBackward() {}

    /** Returns {dq, dk, dv} flat BHSD; dk and dv over the present keys (past then new). */
    static float[][] run(AttentionProblem p, Tensor dOut) {
        PaperPlan plan = PaperPlan.of(p);
        if (!(plan.kernel instanceof RbfImportanceKernel)) throw new IllegalArgumentException("not an RBF kernel: " + plan);
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), d = p.dim(), dvDim = p.vDim();
        double[] dq = new double[p.batch() * p.qHeads() * p.qSeq() * d];
        double[] dk = new double[p.batch() * p.kvHeads() * n * d];
        float[] dvv = new float[p.batch() * p.kvHeads() * n * dvDim];
        float[] logits = new float[np], prob = new float[np], dProb = new float[np], bias = new float[np];
        float[] vRow = new float[dvDim], dO = new float[dvDim];
        double[] colSum = new double[n];
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                double[] k = PaperPlan.rows(p.presentKey(), b, kh, n);
                double[] ik = new double[n];
                for (int j = 0; j < n; j++) ik[j] = PaperMath.importance(k, j * d, d, plan.p, plan.tau);
                java.util.Arrays.fill(colSum, 0);
                int kBase = (b * p.kvHeads() + kh) * n * d;
                for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
                    double[] q = PaperPlan.rows(p.q(), b, h, p.qSeq());
                    for (int i = 0; i < p.qSeq(); i++) {
                        int qo = i * d;
                        double iq = PaperMath.importance(q, qo, d, plan.p, plan.tau);
                        for (int j = 0; j < n; j++) {
                            logits[j] = (float) (PaperMath.rbfLogKernel(q, qo, k, j * d, d, plan.tau) + iq + ik[j]);
                        }
                        KeyMasking.apply(p, b, h, i, logits, bias, np);
                        if (!Rows.softmax(logits, prob, np)) continue;
                        dOut.readRow(b, h, i, dO, 0);
                        for (int j = 0; j < n; j++) {
                            if (prob[j] == 0f) {
                                dProb[j] = 0f;
                                continue;
                            }
                            p.presentValue().readRow(b, kh, j, vRow, 0);
                            double dp = 0;
                            for (int c = 0; c < dvDim; c++) dp += (double) dO[c] * vRow[c];
                            dProb[j] = (float) dp;
                            int vo = ((b * p.kvHeads() + kh) * n + j) * dvDim;
                            for (int c = 0; c < dvDim; c++) dvv[vo + c] += prob[j] * dO[c];
                        }
                        java.util.Arrays.fill(dProb, n, np, 0f);
                        Rows.softmaxBackward(prob, dProb, np);
                        int dqo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
                        double rowSum = 0;
                        for (int j = 0; j < n; j++) {
                            double ds = dProb[j];
                            if (ds == 0) continue;
                            rowSum += ds;
                            colSum[j] += ds;
                            for (int c = 0; c < d; c++) {
                                double diff = (q[qo + c] - k[j * d + c]) / plan.tau;
                                dq[dqo + c] -= ds * diff;
                                dk[kBase + j * d + c] += ds * diff;
                            }
                        }
                        Importance.addGradient(q, qo, d, plan.p, plan.tau, rowSum, dq, dqo);
                    }
                }
                for (int j = 0; j < n; j++) Importance.addGradient(k, j * d, d, plan.p, plan.tau, colSum[j], dk, kBase + j * d);
            }
        }
        return new float[][] {narrow(dq), narrow(dk), dvv};
    }

    private static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
