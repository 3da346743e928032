/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Map;

/**
 * Sections 3 to 6: logit = log(kappa + eps) + I_p(q) + I_p(k) with kappa = G^2,
 * G = phi(q) . phi(k) / (4M), phi(x) = [cos a + cos b ; sin a + sin b], a = c W1^T x, b = c W2^T x.
 * Backward: dG = dLogit 2G / (kappa + eps); dphi(q_i) = sum_j dG_ij phi(k_j) / (4M) and likewise for
 * keys; through phi, da = -sin a dcos + cos a dsin (and db), giving dx = c (W1 da + W2 db) and
 * dW1 = c x da^T, dW2 = c x db^T. The spectral points' gradients are gathered over every (batch,
 * head) and handed to {@link SpectralW#backward} at the end, which takes them to the
 * generators and the copula. The linear-time mode computes the same function, so its gradient is
 * this one.
 */
final class SpectralLogits implements LogitKernel {
    private final AttentionProblem p;
    private final ReferenceBackward.Values x;
    private final SpectralW sp;
    private final double[] dW1, dW2;
    private final int m;

    SpectralLogits(AttentionProblem p, ReferenceBackward.Values x, IkaOptions o, boolean oneDraw) {
        if (p.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + p.softcap() + ") applies to the standard kernel only, not '"
                    + p.kernel().name() + "'");
        }
        if (o.linear() && p.mask() != null) {
            throw new IllegalArgumentException("'" + p.kernel().name() + "' in linear-time mode supports causal and kvLengths but"
                    + " not an attention mask (" + p.mask() + "); drop the mask or the linear option");
        }
        if (o.linear() && p.returnEnergy()) {
            throw new IllegalArgumentException("'" + p.kernel().name() + "' in linear-time mode never forms the [q_seq, kv_seq]"
                    + " logits, so it cannot return the energy; drop returnEnergy or the linear option");
        }
        this.p = p;
        this.x = x;
        this.sp = SpectralW.of(p, x.parameters(), x.q(), x.k(), oneDraw);
        this.dW1 = new double[sp.w1.length];
        this.dW2 = new double[sp.w2.length];
        this.m = sp.samples;
    }

    private int qOffset(int b, int h, int i) {
        return ((b * p.qHeads() + h) * p.qSeq() + i) * p.dim();
    }

    private int kOffset(int b, int kh, int j) {
        return ((b * p.kvHeads() + kh) * p.kvSeq() + j) * p.dim();
    }

    private double[] phis(double[] rows, int first, int n, int b, int h) {
        double[] out = new double[n * 2 * m];
        for (int i = 0; i < n; i++) {
            Formulas.phi(rows, first + i * p.dim(), p.dim(), sp.w1, sp.w2, sp.wOffset(b), sp.heads, h, m, sp.frequencyScale, out,
                    i * 2 * m);
        }
        return out;
    }

    private double[] projections(double[] rows, int first, int n, int b, int h) {
        double[] out = new double[n * 2 * m];
        for (int i = 0; i < n; i++) {
            Formulas.projections(rows, first + i * p.dim(), p.dim(), sp.w1, sp.w2, sp.wOffset(b), sp.heads, h, m, sp.frequencyScale,
                    out, i * 2 * m);
        }
        return out;
    }

    /** The forward in the shift-invariant form ({@link Formulas#shiftInvariantKernel}); the backward differentiates phi. */
    @Override
    public double[][] logits(int b, int h) {
        int kh = p.kvHead(h), d = p.dim();
        double[] prQ = projections(x.q(), qOffset(b, h, 0), p.qSeq(), b, h);
        double[] prK = projections(x.k(), kOffset(b, kh, 0), p.kvSeq(), b, h);
        double[] ik = new double[p.kvSeq()];
        for (int j = 0; j < p.kvSeq(); j++) ik[j] = LpImportance.value(x.k(), kOffset(b, kh, j), d, sp.p, sp.tau);
        double[][] s = new double[p.qSeq()][p.kvSeq()];
        for (int i = 0; i < p.qSeq(); i++) {
            double iq = LpImportance.value(x.q(), qOffset(b, h, i), d, sp.p, sp.tau);
            for (int j = 0; j < p.kvSeq(); j++) {
                double kappa = Formulas.shiftInvariantKernel(prQ, i * 2 * m, prK, j * 2 * m, m);
                s[i][j] = Formulas.ikaLogit(kappa, sp.eps, iq, ik[j]);
            }
        }
        return s;
    }

    @Override
    public void backward(int b, int h, double[][] dLogit, ReferenceBackward.Gradients g) {
        int kh = p.kvHead(h), d = p.dim(), m2 = 2 * m;
        double[] phiQ = phis(x.q(), qOffset(b, h, 0), p.qSeq(), b, h), phiK = phis(x.k(), kOffset(b, kh, 0), p.kvSeq(), b, h);
        double[] dPhiQ = new double[phiQ.length], dPhiK = new double[phiK.length], colSum = new double[p.kvSeq()];
        double inv = 1.0 / (4.0 * m);
        for (int i = 0; i < p.qSeq(); i++) {
            double rowSum = 0;
            for (int j = 0; j < p.kvSeq(); j++) {
                double dl = dLogit[i][j];
                if (dl == 0) continue;
                rowSum += dl;
                colSum[j] += dl;
                double dot = 0;
                for (int t = 0; t < m2; t++) dot += phiQ[i * m2 + t] * phiK[j * m2 + t];
                double gv = dot * inv, kappa = gv * gv;
                double dG = dl * 2 * gv / (kappa + sp.eps) * inv;
                for (int t = 0; t < m2; t++) {
                    dPhiQ[i * m2 + t] += dG * phiK[j * m2 + t];
                    dPhiK[j * m2 + t] += dG * phiQ[i * m2 + t];
                }
            }
            LpImportance.addGradient(x.q(), qOffset(b, h, i), d, sp.p, sp.tau, rowSum, g.dq(), qOffset(b, h, i));
            phiBackward(x.q(), qOffset(b, h, i), dPhiQ, i * m2, b, h, g.dq());
        }
        for (int j = 0; j < p.kvSeq(); j++) {
            LpImportance.addGradient(x.k(), kOffset(b, kh, j), d, sp.p, sp.tau, colSum[j], g.dk(), kOffset(b, kh, j));
            phiBackward(x.k(), kOffset(b, kh, j), dPhiK, j * m2, b, h, g.dk());
        }
    }

    /** From dphi of one row (2M values) to dx of the row and to dW1, dW2 of head h. */
    private void phiBackward(double[] rows, int xo, double[] dPhi, int po, int b, int h, double[] dx) {
        int d = p.dim(), wOff = sp.wOffset(b);
        double c = sp.frequencyScale;
        for (int s = 0; s < m; s++) {
            double dCos = dPhi[po + s], dSin = dPhi[po + m + s];
            if (dCos == 0 && dSin == 0) continue;
            double a = 0, bb = 0;
            for (int r = 0; r < d; r++) {
                int wi = wOff + (r * sp.heads + h) * m + s;
                a += sp.w1[wi] * rows[xo + r];
                bb += sp.w2[wi] * rows[xo + r];
            }
            a *= c;
            bb *= c;
            double da = (-Math.sin(a) * dCos + Math.cos(a) * dSin) * c;
            double db = (-Math.sin(bb) * dCos + Math.cos(bb) * dSin) * c;
            for (int r = 0; r < d; r++) {
                int wi = wOff + (r * sp.heads + h) * m + s;
                dx[xo + r] += sp.w1[wi] * da + sp.w2[wi] * db;
                dW1[wi] += rows[xo + r] * da;
                dW2[wi] += rows[xo + r] * db;
            }
        }
    }

    @Override
    public double regularizer() {
        return sp.regularizer;
    }

    @Override
    public void finish(double dReg, ReferenceBackward.Gradients g) {
        sp.backward(dW1, dW2, dReg, g.parameters(), g.dq(), g.dk());
    }

    @Override
    public Map<String, double[]> zeroGradients() {
        return sp.zeroGradients();
    }
}
