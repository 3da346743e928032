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
import dev.ika4j.simd.internal.WorkPool;

/**
 * The backward of sections 1 and 2, logit_ij = -|q_i - k_j|^2 / (2 tau) + I_p(q_i) + I_p(k_j), in
 * float32 on the Vector API at the cost of standard attention's backward ({@link DotBackward}). As in the forward, the
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
    static float[][] run(AttentionProblem p, Tensor dOut, WorkPool pool) {
        PaperPlan plan = PaperPlan.of(p);
        if (!(plan.kernel instanceof RbfImportanceKernel)) throw new IllegalArgumentException("not an RBF kernel: " + plan);
        return DotBackward.run(p, dOut, new Terms(plan), pool);
    }

    /** c = 1/tau, the per-key term c_j on every logit, and its column sums for the key terms of dK. */
    private record Terms(PaperPlan plan) implements DotBackward.Logits {
        @Override
        public float scale() {
            return (float) (1.0 / plan.tau);
        }

        @Override
        public void beginHead(AttentionProblem p, int b, int kh, DotBackward.Scratch s) {
            int n = p.kvSeq(), d = p.dim();
            if (general(plan.p) && (s.keyPowers == null || s.keyPowers.length < n * d)) {
                s.keyPowers = new double[n * d];
                s.keySums = new double[n];
                s.keyMax = new double[n];
            }
            for (int j = 0; j < n; j++) s.keyTerm[j] = (float) keyTerm(p.presentKey(), b, kh, j, s, plan);
            java.util.Arrays.fill(s.colSum, 0f);
        }

        @Override
        public void logits(DotBackward.Scratch s, int o, int np) {
            Rows.axpy(1f, s.keyTerm, 0, s.l4, o, np);
        }

        @Override
        public void dLogits(DotBackward.Scratch s, int o, int n, int np) {
            Rows.axpy(1f, s.dS4, o, s.colSum, 0, np);
        }

        /** colsum_j(dS) (dI_p(k_j) - k_j / tau), once per key in float64. */
        @Override
        public void endHead(AttentionProblem p, int b, int kh, DotBackward.Scratch s, float[] dk, int kBase) {
            int d = p.dim();
            for (int j = 0; j < p.kvSeq(); j++) {
                float cs = s.colSum[j];
                if (cs == 0f) continue;
                p.presentKey().readRow(b, kh, j, s.row, 0);
                for (int c = 0; c < d; c++) {
                    s.kRow[c] = s.row[c];
                    s.dkRow[c] = -cs * s.kRow[c] / plan.tau;
                }
                if (general(plan.p) && s.keyMax[j] > 0) lpGradient(s, j, d, plan, cs);
                else Importance.addGradient(s.kRow, 0, d, plan.p, plan.tau, cs, s.dkRow, 0);
                for (int c = 0; c < d; c++) dk[kBase + j * d + c] += (float) s.dkRow[c];
            }
        }
    }

    /** A finite p other than 2, where |x|^p needs Math.pow. */
    private static boolean general(double p) {
        return p != 2.0 && p != Double.POSITIVE_INFINITY;
    }

    /**
     * c_j = I_p(k_j) - |k_j|_2^2 / (2 tau) for key row (b, h, j), in float64. For a finite p other
     * than 2 the powers w_r = u_r^(p-1), u_r = |x_r| / max|x|, are kept for the gradient: u^p is
     * u w, so value and gradient cost one Math.pow per element instead of three (pow dominated this
     * backward at p = 2.5); rows with no finite non-zero maximum (and NaN) take PaperMath's path.
     */
    private static double keyTerm(Tensor k, int b, int h, int j, DotBackward.Scratch s, PaperPlan plan) {
        k.readRow(b, h, j, s.row, 0);
        int d = k.dim();
        double[] x = s.kRow;
        double sq = 0, max = 0;
        for (int c = 0; c < d; c++) {
            x[c] = s.row[c];
            sq += x[c] * x[c];
            max = Math.max(max, Math.abs(x[c]));
        }
        if (!general(plan.p)) return PaperMath.importance(x, 0, d, plan.p, plan.tau) - sq / (2 * plan.tau);
        s.keyMax[j] = 0;
        if (!(max > 0 && max < Double.POSITIVE_INFINITY)) return PaperMath.importance(x, 0, d, plan.p, plan.tau) - sq / (2 * plan.tau);
        double sum = 0;
        for (int c = 0; c < d; c++) {
            double u = Math.abs(x[c]) / max;
            double w = u == 0 ? 0 : Math.pow(u, plan.p - 1);
            s.keyPowers[j * d + c] = w;
            sum += u * w;
        }
        s.keyMax[j] = max;
        s.keySums[j] = sum;
        return max * max * Math.pow(sum, 2.0 / plan.p) / (2 * plan.tau) - sq / (2 * plan.tau);
    }

    /** dI_p(k_j) times g into s.dkRow, from the powers keyTerm kept (Importance.addGradient's formula). */
    private static void lpGradient(DotBackward.Scratch s, int j, int d, PaperPlan plan, double g) {
        double max = s.keyMax[j], scale = g / (2 * plan.tau);
        double common = 2 * max * Math.pow(s.keySums[j], 2.0 / plan.p - 1);
        for (int c = 0; c < d; c++) {
            double v = s.kRow[c];
            if (v == 0) continue;
            s.dkRow[c] += scale * common * s.keyPowers[j * d + c] * Math.signum(v);
        }
    }
}
