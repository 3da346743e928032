/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.graph;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.GatKernel;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * GAT's forward ({@link GatKernel}) and backward on the CPU. GATCONV's score needs no product of q
 * and k: per (batch, head) the query terms a_dst . q_i and key terms a_src . k_j are computed once
 * (O(L d)), and each logit is their sum through the LeakyReLU, so the logits cost O(L^2) and P V
 * O(L^2 v_dim); the KERNEL form adds ||q_i - k_j||^2 (O(L^2 d)). Rows are computed one at a time,
 * softmax in two passes over a row buffer, accumulation in float64. Over a neighbourhood the host
 * backend's gather gives this kernel each query's neighbours alone, so the cost is per edge.
 */
public final class GatAttention {
    private GatAttention() {}

    /** Per-head query terms [q_seq] and key terms [kv_seq] of (b, h). */
    static double[][] terms(AttentionProblem p, GatKernel g, int b, int h) {
        int kh = p.kvHead(h), d = p.dim();
        double[] qt = new double[p.qSeq()], kt = new double[p.kvSeq()];
        for (int i = 0; i < p.qSeq(); i++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += g.aDst().get(h, c) * p.q().get(b, h, i, c);
            qt[i] = s;
        }
        for (int j = 0; j < p.kvSeq(); j++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += g.aSrc().get(h, c) * p.presentKey().get(b, kh, j, c);
            kt[j] = s;
        }
        return new double[][] {qt, kt};
    }

    /** Row i's logits over all keys, masked keys -inf; returns whether any key is visible. */
    static boolean logits(AttentionProblem p, GatKernel g, int b, int h, int i, double[][] t, double[] row) {
        int limit = p.keyLimit(b, i), kh = p.kvHead(h);
        boolean any = false;
        for (int j = 0; j < p.kvSeq(); j++) {
            double bias = j >= limit ? Double.NEGATIVE_INFINITY : p.mask() == null ? 0 : p.mask().bias(b, h, i, j);
            if (bias == Double.NEGATIVE_INFINITY) {
                row[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s = t[0][i] + t[1][j];
            if (g.form() == GatKernel.Form.GATCONV) {
                s = s > 0 ? s : g.negativeSlope() * s;
            } else {
                double d2 = 0;
                for (int c = 0; c < p.dim(); c++) {
                    double d = p.q().get(b, h, i, c) - p.presentKey().get(b, kh, j, c);
                    d2 += d * d;
                }
                s -= 0.5 * p.scale() * d2;
            }
            row[j] = s + bias;
            any = true;
        }
        return any;
    }

    /** Softmax of a row in place (-inf gives 0); false when no key is visible. */
    static void softmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : row) max = Math.max(max, x);
        double sum = 0;
        for (int j = 0; j < row.length; j++) {
            row[j] = row[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(row[j] - max);
            sum += row[j];
        }
        for (int j = 0; j < row.length; j++) row[j] /= sum;
    }

    public static double compute(AttentionProblem p, Tensor out, Tensor energy) {
        GatKernel g = (GatKernel) p.kernel();
        double[] row = new double[p.kvSeq()], acc = new double[p.vDim()];
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.qHeads(); h++) {
                double[][] t = terms(p, g, b, h);
                int kh = p.kvHead(h);
                for (int i = 0; i < p.qSeq(); i++) {
                    boolean any = logits(p, g, b, h, i, t, row);
                    if (energy != null) for (int j = 0; j < p.kvSeq(); j++) energy.set(b, h, i, j, (float) row[j]);
                    java.util.Arrays.fill(acc, 0);
                    if (any) {
                        softmax(row);
                        for (int j = 0; j < p.kvSeq(); j++) {
                            if (row[j] == 0) continue;
                            for (int c = 0; c < p.vDim(); c++) acc[c] += row[j] * p.presentValue().get(b, kh, j, c);
                        }
                    }
                    for (int c = 0; c < p.vDim(); c++) out.set(b, h, i, c, (float) acc[c]);
                }
            }
        }
        return 0.0;
    }

    /**
     * Gradients {dq, dk (present), dv (present)} flat BHSD, and "a_src", "a_dst" into {@code params}.
     * Per row: dP = dOut V^T, dLogit = P (dP - P.dP), dpre by the LeakyReLU's slope; the sums of
     * dpre over a row and over a column give dq and dk through a_dst and a_src in O(L^2 + L d).
     */
    public static float[][] backward(AttentionProblem p, Tensor dOut, java.util.Map<String, double[]> params) {
        GatKernel g = (GatKernel) p.kernel();
        int d = p.dim(), vd = p.vDim();
        double[] dq = new double[p.batch() * p.qHeads() * p.qSeq() * d];
        double[] dk = new double[p.batch() * p.kvHeads() * p.kvSeq() * d], dv = new double[p.batch() * p.kvHeads() * p.kvSeq() * vd];
        double[] daSrc = new double[p.qHeads() * d], daDst = new double[p.qHeads() * d];
        double[] row = new double[p.kvSeq()], dl = new double[p.kvSeq()];
        boolean kernelForm = g.form() == GatKernel.Form.KERNEL;
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.qHeads(); h++) {
                double[][] t = terms(p, g, b, h);
                int kh = p.kvHead(h);
                double[] colSum = new double[p.kvSeq()];
                for (int i = 0; i < p.qSeq(); i++) {
                    if (!logits(p, g, b, h, i, t, row)) continue;
                    softmax(row);
                    double rowDot = 0;
                    for (int j = 0; j < p.kvSeq(); j++) {
                        if (row[j] == 0) {
                            dl[j] = 0;
                            continue;
                        }
                        double dp = 0;
                        for (int c = 0; c < vd; c++) {
                            double go = dOut.get(b, h, i, c);
                            dp += go * p.presentValue().get(b, kh, j, c);
                            dv[((b * p.kvHeads() + kh) * p.kvSeq() + j) * vd + c] += row[j] * go;
                        }
                        dl[j] = dp;
                        rowDot += row[j] * dp;
                    }
                    double rowSum = 0;
                    int qo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
                    for (int j = 0; j < p.kvSeq(); j++) {
                        double dlogit = row[j] * (dl[j] - rowDot);
                        if (dlogit == 0) continue;
                        double dpre = kernelForm || t[0][i] + t[1][j] > 0 ? dlogit : g.negativeSlope() * dlogit;
                        rowSum += dpre;
                        colSum[j] += dpre;
                        if (kernelForm) {
                            int ko = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * d;
                            for (int c = 0; c < d; c++) {
                                double diff = p.scale() * (p.q().get(b, h, i, c) - p.presentKey().get(b, kh, j, c)) * dlogit;
                                dq[qo + c] -= diff;
                                dk[ko + c] += diff;
                            }
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        dq[qo + c] += rowSum * g.aDst().get(h, c);
                        daDst[h * d + c] += rowSum * p.q().get(b, h, i, c);
                    }
                }
                for (int j = 0; j < p.kvSeq(); j++) {
                    if (colSum[j] == 0) continue;
                    int ko = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * d;
                    for (int c = 0; c < d; c++) {
                        dk[ko + c] += colSum[j] * g.aSrc().get(h, c);
                        daSrc[h * d + c] += colSum[j] * p.presentKey().get(b, kh, j, c);
                    }
                }
            }
        }
        params.put("a_src", daSrc);
        params.put("a_dst", daDst);
        return new float[][] {narrow(dq), narrow(dk), narrow(dv)};
    }

    private static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int n = 0; n < a.length; n++) f[n] = (float) a[n];
        return f;
    }
}
