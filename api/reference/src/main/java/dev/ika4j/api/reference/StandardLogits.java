/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.spi.AttentionProblem;

/**
 * Standard attention's logits, s = scale * q.k, soft-capped to c tanh(s / c) when c > 0; the
 * backward multiplies by d(c tanh(s/c))/ds = 1 - tanh^2(s/c).
 */
final class StandardLogits implements LogitKernel {
    private final AttentionProblem p;
    private final ReferenceBackward.Values x;

    StandardLogits(AttentionProblem p, ReferenceBackward.Values x) {
        this.p = p;
        this.x = x;
    }

    private double score(int qo, int ko) {
        double dot = 0;
        for (int c = 0; c < p.dim(); c++) dot += x.q()[qo + c] * x.k()[ko + c];
        return p.scale() * dot;
    }

    @Override
    public double[][] logits(int b, int h) {
        double[][] s = new double[p.qSeq()][p.kvSeq()];
        int kh = p.kvHead(h);
        for (int i = 0; i < p.qSeq(); i++) {
            int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * p.dim();
            for (int j = 0; j < p.kvSeq(); j++) {
                double score = score(qo, ((b * p.kvHeads() + kh) * p.kvSeq() + j) * p.dim());
                s[i][j] = p.softcap() > 0 ? p.softcap() * Math.tanh(score / p.softcap()) : score;
            }
        }
        return s;
    }

    @Override
    public void backward(int b, int h, double[][] dLogit, ReferenceBackward.Gradients g) {
        int kh = p.kvHead(h);
        for (int i = 0; i < p.qSeq(); i++) {
            int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * p.dim();
            for (int j = 0; j < p.kvSeq(); j++) {
                double d = dLogit[i][j];
                if (d == 0) continue;
                int ko = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * p.dim();
                if (p.softcap() > 0) {
                    double t = Math.tanh(score(qo, ko) / p.softcap());
                    d *= 1 - t * t;
                }
                d *= p.scale();
                for (int c = 0; c < p.dim(); c++) {
                    g.dq()[qo + c] += d * x.k()[ko + c];
                    g.dk()[ko + c] += d * x.q()[qo + c];
                }
            }
        }
    }
}
