/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.GatKernel;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GAT's logits from the formulas of {@link GatKernel}: pre = a_dst . q_i + a_src . k_j, then
 * LeakyReLU(pre) (GATCONV) or pre - (scale / 2) ||q_i - k_j||^2 (KERNEL). Backward: dpre = dLogit
 * times 1 where pre > 0 and the slope elsewhere (PyTorch's convention at 0), or dLogit (KERNEL, plus
 * the RBF term's -scale (q_i - k_j) in dq and +scale (q_i - k_j) in dk); then dq_i += dpre a_dst,
 * dk_j += dpre a_src, da_dst += dpre q_i, da_src += dpre k_j.
 */
final class GatLogits implements LogitKernel {
    private final AttentionProblem p;
    private final ReferenceBackward.Values x;
    private final GatKernel kernel;
    private final double[] aSrc, aDst;

    GatLogits(AttentionProblem p, ReferenceBackward.Values x, GatKernel kernel) {
        this.p = p;
        this.x = x;
        this.kernel = kernel;
        this.aSrc = Parameters.sized(x.parameters(), "a_src", p.qHeads() * p.dim());
        this.aDst = Parameters.sized(x.parameters(), "a_dst", p.qHeads() * p.dim());
    }

    private int qo(int b, int h, int i) { return ((b * p.qHeads() + h) * p.qSeq() + i) * p.dim(); }

    private int ko(int b, int h, int j) { return ((b * p.kvHeads() + p.kvHead(h)) * p.kvSeq() + j) * p.dim(); }

    private double pre(int h, int qo, int ko) {
        double s = 0;
        for (int c = 0; c < p.dim(); c++) s += aDst[h * p.dim() + c] * x.q()[qo + c] + aSrc[h * p.dim() + c] * x.k()[ko + c];
        return s;
    }

    private double dist2(int qo, int ko) {
        double s = 0;
        for (int c = 0; c < p.dim(); c++) {
            double d = x.q()[qo + c] - x.k()[ko + c];
            s += d * d;
        }
        return s;
    }

    @Override
    public double[][] logits(int b, int h) {
        double[][] e = new double[p.qSeq()][p.kvSeq()];
        for (int i = 0; i < p.qSeq(); i++) {
            for (int j = 0; j < p.kvSeq(); j++) {
                int qo = qo(b, h, i), ko = ko(b, h, j);
                double s = pre(h, qo, ko);
                e[i][j] = kernel.form() == GatKernel.Form.GATCONV ? (s > 0 ? s : kernel.negativeSlope() * s)
                        : s - 0.5 * p.scale() * dist2(qo, ko);
            }
        }
        return e;
    }

    @Override
    public void backward(int b, int h, double[][] dLogit, ReferenceBackward.Gradients g) {
        double[] daSrc = g.parameters().get("a_src"), daDst = g.parameters().get("a_dst");
        int d = p.dim();
        for (int i = 0; i < p.qSeq(); i++) {
            for (int j = 0; j < p.kvSeq(); j++) {
                double dl = dLogit[i][j];
                if (dl == 0) continue;
                int qo = qo(b, h, i), ko = ko(b, h, j);
                boolean gatconv = kernel.form() == GatKernel.Form.GATCONV;
                double dpre = gatconv ? (pre(h, qo, ko) > 0 ? dl : kernel.negativeSlope() * dl) : dl;
                for (int c = 0; c < d; c++) {
                    g.dq()[qo + c] += dpre * aDst[h * d + c];
                    g.dk()[ko + c] += dpre * aSrc[h * d + c];
                    daDst[h * d + c] += dpre * x.q()[qo + c];
                    daSrc[h * d + c] += dpre * x.k()[ko + c];
                    if (!gatconv) {
                        double diff = p.scale() * (x.q()[qo + c] - x.k()[ko + c]) * dl;
                        g.dq()[qo + c] -= diff;
                        g.dk()[ko + c] += diff;
                    }
                }
            }
        }
    }

    @Override
    public Map<String, double[]> zeroGradients() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("a_src", new double[aSrc.length]);
        m.put("a_dst", new double[aDst.length]);
        return m;
    }
}
