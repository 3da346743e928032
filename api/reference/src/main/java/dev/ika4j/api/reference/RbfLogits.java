/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Sections 1 and 2: logit = -|q - k|^2 / (2 tau) + I_p(q) + I_p(k). Backward:
 * d/dq = -(q - k) / tau times dLogit plus the importance's gradient, and the opposite for k.
 */
final class RbfLogits implements LogitKernel {
    private final AttentionProblem p;
    private final ReferenceBackward.Values x;
    private final double norm, tau;

    RbfLogits(AttentionProblem p, ReferenceBackward.Values x, RbfImportanceKernel k) {
        if (p.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + p.softcap() + ") applies to the standard kernel only, not '" + k.name() + "'");
        }
        this.p = p;
        this.x = x;
        this.norm = k.p();
        this.tau = k.resolveTau(p.scale());
    }

    @Override
    public double[][] logits(int b, int h) {
        int kh = p.kvHead(h), d = p.dim();
        double[][] s = new double[p.qSeq()][p.kvSeq()];
        for (int i = 0; i < p.qSeq(); i++) {
            int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
            double iq = LpImportance.value(x.q(), qo, d, norm, tau);
            for (int j = 0; j < p.kvSeq(); j++) {
                int ko = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * d;
                s[i][j] = Formulas.rbfLogKernel(x.q(), qo, x.k(), ko, d, tau) + iq + LpImportance.value(x.k(), ko, d, norm, tau);
            }
        }
        return s;
    }

    @Override
    public void backward(int b, int h, double[][] dLogit, ReferenceBackward.Gradients g) {
        int kh = p.kvHead(h), d = p.dim();
        double[] colSum = new double[p.kvSeq()];
        for (int i = 0; i < p.qSeq(); i++) {
            int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
            double rowSum = 0;
            for (int j = 0; j < p.kvSeq(); j++) {
                double dl = dLogit[i][j];
                if (dl == 0) continue;
                rowSum += dl;
                colSum[j] += dl;
                int ko = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * d;
                for (int c = 0; c < d; c++) {
                    double diff = (x.q()[qo + c] - x.k()[ko + c]) / tau;
                    g.dq()[qo + c] -= dl * diff;
                    g.dk()[ko + c] += dl * diff;
                }
            }
            LpImportance.addGradient(x.q(), qo, d, norm, tau, rowSum, g.dq(), qo);
        }
        for (int j = 0; j < p.kvSeq(); j++) {
            int ko = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * d;
            LpImportance.addGradient(x.k(), ko, d, norm, tau, colSum[j], g.dk(), ko);
        }
    }
}
