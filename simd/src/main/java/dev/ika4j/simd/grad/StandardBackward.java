/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Standard attention's backward, FlashAttention style: per query row it recomputes the logits and
 * the softmax instead of storing the L x L matrix, then
 * dP = dO V^T, dS = P (dP - rowsum(P dP)) (times the softcap's 1 - tanh^2), dQ = scale dS K,
 * dK += scale dS^T Q, dV += P^T dO. Keys, values and their gradients are held transposed per KV head
 * so that every step is a vector loop along the keys; a GQA group's query heads add into the same
 * KV-head gradients.
 */
final class StandardBackward {
    private StandardBackward() {}

    /** Returns {dq, dk, dv} flat BHSD; dk and dv over the present keys (past then new). */
    static float[][] run(AttentionProblem p, Tensor dOut) {
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), d = p.dim(), dv = p.vDim();
        float[] dq = new float[p.batch() * p.qHeads() * p.qSeq() * d];
        float[] dk = new float[p.batch() * p.kvHeads() * n * d];
        float[] dvv = new float[p.batch() * p.kvHeads() * n * dv];
        float[] kT = new float[d * np], vT = new float[dv * np], dkT = new float[d * np], dvT = new float[dv * np];
        float[] logits = new float[np], tanh = new float[np], prob = new float[np], dProb = new float[np], bias = new float[np];
        float[] q = new float[d], dO = new float[dv], row = new float[Math.max(d, dv)];
        boolean capped = p.softcap() > 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                Transposed.load(p.presentKey(), b, kh, n, np, kT, row);
                Transposed.load(p.presentValue(), b, kh, n, np, vT, row);
                java.util.Arrays.fill(dkT, 0f);
                java.util.Arrays.fill(dvT, 0f);
                for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
                    for (int i = 0; i < p.qSeq(); i++) {
                        p.q().readRow(b, h, i, q, 0);
                        dOut.readRow(b, h, i, dO, 0);
                        java.util.Arrays.fill(logits, 0f);
                        for (int c = 0; c < d; c++) Rows.axpy(q[c], kT, c * np, logits, 0, np);
                        for (int j = 0; j < n; j++) {
                            float s = p.scale() * logits[j];
                            if (capped) {
                                tanh[j] = (float) Math.tanh(s / p.softcap());
                                s = p.softcap() * tanh[j];
                            }
                            logits[j] = s;
                        }
                        KeyMasking.apply(p, b, h, i, logits, bias, np);
                        if (!Rows.softmax(logits, prob, np)) continue;
                        java.util.Arrays.fill(dProb, 0f);
                        for (int c = 0; c < dv; c++) Rows.axpy(dO[c], vT, c * np, dProb, 0, np);
                        Rows.softmaxBackward(prob, dProb, np);
                        float[] dS = dProb;
                        for (int j = 0; j < n; j++) {
                            dS[j] *= capped ? p.scale() * (1 - tanh[j] * tanh[j]) : p.scale();
                        }
                        for (int j = n; j < np; j++) dS[j] = 0f;
                        int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
                        for (int c = 0; c < d; c++) {
                            dq[qo + c] = Rows.dot(dS, 0, kT, c * np, np);
                            Rows.axpy(q[c], dS, 0, dkT, c * np, np);
                        }
                        for (int c = 0; c < dv; c++) Rows.axpy(dO[c], prob, 0, dvT, c * np, np);
                    }
                }
                Transposed.store(dkT, np, dk, ((b * p.kvHeads() + kh) * n) * d, n, d);
                Transposed.store(dvT, np, dvv, ((b * p.kvHeads() + kh) * n) * dv, n, dv);
            }
        }
        return new float[][] {dq, dk, dvv};
    }
}
