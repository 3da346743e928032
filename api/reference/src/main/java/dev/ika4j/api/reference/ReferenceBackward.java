/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The training oracle: attention's forward and backward in float64, straight from the formulas,
 * on flat float64 arrays so that finite differences can check it to 1e-6.
 *
 * <p>The problem supplies the structure (shapes, scale, masks, causal, lengths, the kernel and its
 * hyper-parameters); {@link Values} supplies the numbers being differentiated: Q, the present keys
 * and values (past followed by new), and the kernel's learned parameters by name.
 *
 * <p>Per (batch, query head): logits from the kernel, masked as the forward pass masks them,
 * P = softmax, out = P V. Backward: dP = dOut V^T, dLogit = P (dP - rowsum(P dP)), then the kernel
 * turns dLogit into gradients of Q, K and its parameters. The L x L matrices are kept; this is a
 * reference, not a fast path.
 */
public final class ReferenceBackward {
    private ReferenceBackward() {}

    /**
     * The float64 values of one call, flat in BHSD order.
     *
     * @param q          [batch, q_heads, q_seq, dim]
     * @param k          present keys (past then new), [batch, kv_heads, total_kv, dim]
     * @param v          present values, [batch, kv_heads, total_kv, v_dim]
     * @param parameters the kernel's learned parameters by name, in their own layout
     */
    public record Values(double[] q, double[] k, double[] v, Map<String, double[]> parameters) {
        public Values {
            Objects.requireNonNull(q, "q");
            Objects.requireNonNull(k, "k");
            Objects.requireNonNull(v, "v");
            parameters = new LinkedHashMap<>(parameters);
        }

        /** The problem's tensors and its kernel's parameters, widened to float64. */
        public static Values of(AttentionProblem p) {
            return new Values(widen(p.q()), widen(p.presentKey()), widen(p.presentValue()), Parameters.of(p.kernel()));
        }

        /** A deep copy, for perturbing one entry. */
        public Values copy() {
            Map<String, double[]> params = new LinkedHashMap<>();
            parameters.forEach((n, a) -> params.put(n, a.clone()));
            return new Values(q.clone(), k.clone(), v.clone(), params);
        }
    }

    /** What the forward pass returns: output [batch, q_heads, q_seq, v_dim] flat, and the regulariser. */
    public record Forward(double[] output, double regularizer) {}

    /** Gradients of the values, in the same layouts; dk and dv cover the present (past and new). */
    public record Gradients(double[] dq, double[] dk, double[] dv, Map<String, double[]> parameters) {}

    /** The forward pass in float64 (reproducible noise only, as for a backward pass). */
    public static Forward forward(AttentionProblem p, Values x) {
        return forward(p, x, false, null);
    }

    /**
     * The one forward pipeline, which the reference backend runs too: the kernel's logits, masked,
     * softmax, P V. {@code oneDraw}: a training-mode seed may take its next draw (a forward call);
     * {@code energy}, when not null, receives the masked logits.
     */
    static Forward forward(AttentionProblem p, Values x, boolean oneDraw, Tensor energy) {
        LogitKernel kernel = LogitKernel.of(p, x, oneDraw);
        double[] out = new double[p.batch() * p.qHeads() * p.qSeq() * p.vDim()];
        double[] logits = new double[p.kvSeq()], prob = new double[p.kvSeq()];
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.qHeads(); h++) {
                double[][] raw = kernel.logits(b, h);
                int kh = p.kvHead(h);
                for (int i = 0; i < p.qSeq(); i++) {
                    mask(p, b, h, i, raw[i], logits);
                    if (energy != null) {
                        for (int j = 0; j < p.kvSeq(); j++) energy.set(b, h, i, j, (float) logits[j]);
                    }
                    softmax(logits, prob);
                    int o = ((b * p.qHeads() + h) * p.qSeq() + i) * p.vDim();
                    for (int j = 0; j < p.kvSeq(); j++) {
                        // The NaN rule: only masked keys (logit -inf) are skipped; a weight that
                        // underflowed to 0 still multiplies its value, so 0 * NaN reaches the row.
                        if (logits[j] == Double.NEGATIVE_INFINITY) continue;
                        int vo = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * p.vDim();
                        for (int c = 0; c < p.vDim(); c++) out[o + c] += prob[j] * x.v[vo + c];
                    }
                }
            }
        }
        return new Forward(out, kernel.regularizer());
    }

    /** Gradients of {@code <dOut, output> + dRegularizer * regularizer}. */
    public static Gradients backward(AttentionProblem p, Values x, double[] dOut, double dRegularizer) {
        int outSize = p.batch() * p.qHeads() * p.qSeq() * p.vDim();
        if (dOut.length != outSize) {
            throw new IllegalArgumentException("dOut has " + dOut.length + " values but the output " + p.outputShape()
                    + " has " + outSize);
        }
        LogitKernel kernel = LogitKernel.of(p, x, false);
        Gradients g = new Gradients(new double[x.q.length], new double[x.k.length], new double[x.v.length],
                kernel.zeroGradients());
        double[] logits = new double[p.kvSeq()], prob = new double[p.kvSeq()];
        double[] dProb = new double[p.kvSeq()];
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.qHeads(); h++) {
                double[][] raw = kernel.logits(b, h);
                double[][] dLogit = new double[p.qSeq()][p.kvSeq()];
                int kh = p.kvHead(h);
                for (int i = 0; i < p.qSeq(); i++) {
                    mask(p, b, h, i, raw[i], logits);
                    softmax(logits, prob);
                    int o = ((b * p.qHeads() + h) * p.qSeq() + i) * p.vDim();
                    double rowDot = 0;
                    for (int j = 0; j < p.kvSeq(); j++) {
                        if (prob[j] == 0) {
                            dProb[j] = 0;
                            continue;
                        }
                        int vo = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * p.vDim();
                        double d = 0;
                        for (int c = 0; c < p.vDim(); c++) {
                            d += dOut[o + c] * x.v[vo + c];
                            g.dv[vo + c] += prob[j] * dOut[o + c];
                        }
                        dProb[j] = d;
                        rowDot += prob[j] * d;
                    }
                    for (int j = 0; j < p.kvSeq(); j++) dLogit[i][j] = prob[j] * (dProb[j] - rowDot);
                }
                kernel.backward(b, h, dLogit, g);
            }
        }
        kernel.finish(dRegularizer, g);
        return g;
    }

    /**
     * Query row i's logits with causal, valid lengths and the mask applied: a masked key's logit is
     * -inf whatever its raw value, so NaN in a masked key never reaches the output.
     */
    static void mask(AttentionProblem p, int b, int h, int i, double[] raw, double[] out) {
        int limit = p.keyLimit(b, i);
        for (int j = 0; j < p.kvSeq(); j++) {
            // A key outside the neighbourhood is masked like one past the limit: the oracle applies
            // the neighbourhood to the dense row, straight from its definition.
            boolean hidden = j >= limit || p.neighbourhood() != null && !p.neighbourhood().contains(b, i, j, p.pastSeq());
            double bias = hidden ? Double.NEGATIVE_INFINITY : p.mask() == null ? 0.0 : p.mask().bias(b, h, i, j);
            out[j] = bias == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : raw[j] + bias;
        }
    }

    /**
     * The attention weights of one row of masked logits: their softmax with the max subtracted,
     * weight 0 for a -inf logit, all zeros when no key is visible (the documented result on every
     * backend), all NaN when a visible logit is NaN.
     */
    static void softmax(double[] logits, double[] prob) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            if (Double.isNaN(l)) {
                Arrays.fill(prob, Double.NaN);
                return;
            }
            max = Math.max(max, l);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(prob, 0.0);
            return;
        }
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            prob[j] = logits[j] == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(logits[j] - max);
            sum += prob[j];
        }
        for (int j = 0; j < logits.length; j++) prob[j] /= sum;
    }

    /** A contiguous BHSD float64 copy of a tensor. */
    public static double[] widen(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int n = 0; n < f.length; n++) d[n] = f[n];
        return d;
    }
}
