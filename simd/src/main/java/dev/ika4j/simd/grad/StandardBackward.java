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
 * so that every step is a vector loop along the keys, four query rows at a time ({@link RowBlock});
 * a GQA group's query heads add into the same KV-head gradients.
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
        int R = RowBlock.ROWS;
        float[] l4 = new float[R * np], tanh = new float[R * np], p4 = new float[R * np], dS4 = new float[R * np];
        float[] bias = new float[np], logits = new float[np], q4 = new float[R * d], dO4 = new float[R * dv], dq4 = new float[R * d];
        float[] row = new float[Math.max(d, dv)];
        boolean[] live = new boolean[R];
        boolean capped = p.softcap() > 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                Transposed.load(p.presentKey(), b, kh, n, np, kT, row);
                Transposed.load(p.presentValue(), b, kh, n, np, vT, row);
                java.util.Arrays.fill(dkT, 0f);
                java.util.Arrays.fill(dvT, 0f);
                for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
                    for (int i0 = 0; i0 < p.qSeq(); i0 += R) {
                        // four query rows at a time: every vector of K^T or V^T loaded feeds four FMAs
                        java.util.Arrays.fill(q4, 0f);
                        java.util.Arrays.fill(dO4, 0f);
                        for (int r = 0; r < R && i0 + r < p.qSeq(); r++) {
                            p.q().readRow(b, h, i0 + r, q4, r * d);
                            dOut.readRow(b, h, i0 + r, dO4, r * dv);
                        }
                        RowBlock.products(q4, 0, d, kT, np, l4, 0);
                        for (int r = 0; r < R; r++) {
                            int i = i0 + r, o = r * np;
                            live[r] = false;
                            if (i < p.qSeq()) {
                                for (int j = 0; j < n; j++) {
                                    float s = p.scale() * l4[o + j];
                                    if (capped) {
                                        tanh[o + j] = (float) Math.tanh(s / p.softcap());
                                        s = p.softcap() * tanh[o + j];
                                    }
                                    logits[j] = s;
                                }
                                KeyMasking.apply(p, b, h, i, logits, bias, np);
                                live[r] = Rows.softmax(logits, p4, o, np);
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
                            for (int j = 0; j < n; j++) {
                                dS4[o + j] *= capped ? p.scale() * (1 - tanh[o + j] * tanh[o + j]) : p.scale();
                            }
                            for (int j = n; j < np; j++) dS4[o + j] = 0f;
                        }
                        RowBlock.dots(dS4, kT, np, d, dq4, 0);
                        RowBlock.update(q4, 0, d, dS4, np, dkT);
                        for (int r = 0; r < R && i0 + r < p.qSeq(); r++) {
                            int qo = ((b * p.qHeads() + h) * p.qSeq() + i0 + r) * d;
                            if (live[r]) System.arraycopy(dq4, r * d, dq, qo, d);
                        }
                    }
                }
                Transposed.store(dkT, np, dk, ((b * p.kvHeads() + kh) * n) * d, n, d);
                Transposed.store(dvT, np, dvv, ((b * p.kvHeads() + kh) * n) * dv, n, dv);
            }
        }
        return new float[][] {dq, dk, dvv};
    }
}
