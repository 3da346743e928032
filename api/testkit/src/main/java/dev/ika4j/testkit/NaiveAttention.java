/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.StandardKernel;

/**
 * A second float64 implementation of standard attention, written from the ONNX semantics
 * (shared/conformance/onnx-attention/README.md) without any of the API's helpers: it concatenates
 * the past, broadcasts the mask from its raw data and applies causal and lengths itself. It exists
 * to check the reference backend, which would otherwise be compared only with itself. Valid input
 * only; no validation.
 */
public final class NaiveAttention {
    private NaiveAttention() {}

    public static AttentionResult compute(Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        if (!(o.kernel() instanceof StandardKernel)) throw new IllegalArgumentException("standard kernel only");
        int batch = q.batch(), qHeads = q.heads(), qSeq = q.seq(), dim = q.dim(), vDim = v.dim();
        int kvHeads = k.heads(), group = qHeads / kvHeads;
        Tensor pk = o.pastKey(), pv = o.pastValue();
        int past = pk == null ? 0 : pk.seq();
        int total = past + k.seq();
        double[][][][] keys = new double[batch][kvHeads][total][], values = new double[batch][kvHeads][total][];
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < kvHeads; g++) {
                for (int j = 0; j < total; j++) {
                    keys[b][g][j] = j < past ? row(pk, b, g, j) : row(k, b, g, j - past);
                    values[b][g][j] = j < past ? row(pv, b, g, j) : row(v, b, g, j - past);
                }
            }
        }
        double scale = o.scale() != null ? o.scale() : 1.0 / Math.sqrt(dim);
        double cap = o.softcap();
        int[] lengths = o.kvLengths();
        float[] out = new float[batch * qHeads * qSeq * vDim];
        float[] energy = o.returnEnergy() ? new float[batch * qHeads * qSeq * Math.max(total, 1)] : null;
        double[] logit = new double[total];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < qHeads; h++) {
                int g = h / group;
                for (int i = 0; i < qSeq; i++) {
                    double[] qi = row(q, b, h, i);
                    for (int j = 0; j < total; j++) {
                        double bias = bias(o.mask(), b, h, i, j);
                        boolean visible = (!o.causal() || j <= past + i) && (lengths == null || j < lengths[b])
                                && bias != Double.NEGATIVE_INFINITY;
                        if (!visible) {
                            logit[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double s = 0;
                        for (int c = 0; c < dim; c++) s += qi[c] * keys[b][g][j][c];
                        s *= scale;
                        if (cap > 0) s = cap * Math.tanh(s / cap);
                        logit[j] = s + bias;
                    }
                    int rowBase = ((b * qHeads + h) * qSeq + i);
                    if (energy != null) for (int j = 0; j < total; j++) energy[rowBase * total + j] = (float) logit[j];
                    double[] y = softmaxTimesValues(logit, values[b][g], vDim);
                    for (int c = 0; c < vDim; c++) out[rowBase * vDim + c] = (float) y[c];
                }
            }
        }
        return new AttentionResult(Tensor.bhsd(out, batch, qHeads, qSeq, vDim), concat(pk, k), concat(pv, v),
                energy == null ? null : Tensor.bhsd(energy, batch, qHeads, qSeq, Math.max(total, 1)), 0);
    }

    /** sum_j softmax(logit)_j v_j; NaN anywhere visible makes the row NaN; nothing visible gives zeros. */
    private static double[] softmaxTimesValues(double[] logit, double[][] values, int vDim) {
        double[] y = new double[vDim];
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logit) {
            if (Double.isNaN(l)) {
                java.util.Arrays.fill(y, Double.NaN);
                return y;
            }
            max = Math.max(max, l);
        }
        if (max == Double.NEGATIVE_INFINITY) return y;
        double sum = 0;
        for (int j = 0; j < logit.length; j++) {
            if (logit[j] == Double.NEGATIVE_INFINITY) continue;
            double w = Math.exp(logit[j] - max);
            sum += w;
            for (int c = 0; c < vDim; c++) y[c] += w * values[j][c];
        }
        for (int c = 0; c < vDim; c++) y[c] /= sum;
        return y;
    }

    /** The mask's value at (b, h, i, j) by ONNX right-aligned broadcasting of its raw data. */
    private static double bias(AttentionMask m, int b, int h, int i, int j) {
        if (m == null) return 0;
        int[] dims = m.dims();
        int rank = dims.length;
        int[] at = {b, h, i, j};
        if (dims[rank - 1] != 1 && j >= dims[rank - 1]) return Double.NEGATIVE_INFINITY; // short last dim
        int flat = 0;
        for (int a = 0; a < rank; a++) {
            int coord = dims[a] == 1 ? 0 : at[4 - rank + a];
            flat = flat * dims[a] + coord;
        }
        if (m.isBoolean()) return m.booleanData()[flat] ? 0 : Double.NEGATIVE_INFINITY;
        return m.additiveData()[flat];
    }

    private static double[] row(Tensor t, int b, int h, int s) {
        double[] r = new double[t.dim()];
        for (int c = 0; c < r.length; c++) r[c] = t.get(b, h, s, c);
        return r;
    }

    private static Tensor concat(Tensor past, Tensor now) {
        int p = past == null ? 0 : past.seq();
        Tensor out = Tensor.zerosBhsd(now.batch(), now.heads(), p + now.seq(), now.dim());
        for (int b = 0; b < now.batch(); b++)
            for (int h = 0; h < now.heads(); h++)
                for (int s = 0; s < p + now.seq(); s++)
                    for (int c = 0; c < now.dim(); c++)
                        out.set(b, h, s, c, s < p ? past.get(b, h, s, c) : now.get(b, h, s - p, c));
        return out;
    }
}
