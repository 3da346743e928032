/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.Map;

/**
 * Section 5's copula over heads for one call, forward and backward, from the formulas:
 *
 * <ul>
 *   <li>pooling: m = [mean_i q_i ; mean_{j &lt; len} k_j] per (batch, query head);
 *   <li>encoder: h = LReLU(W1^T m + b1); mu = W2^T h + b2, logvar = W3^T h + b3 + log prior_var,
 *       t = tanh(C^T h + cb), each per (batch, dimension r, head);
 *   <li>coupling with L = I + strict_lower(t t^T) over heads, written as prefix sums:
 *       {@link Preset#PAPER} x_h = eps_h + t_h sum_{k &lt; h} t_k eps_k (= (L eps)_h);
 *       {@link Preset#AUTHORS} x_h = (1 + t_h sum_{k &lt; h} t_k) eps_h (= row sum of L times eps_h);
 *       then x is clamped to [-2, 2];
 *   <li>marginals: z = +-mu + sigma x (Phi^-1(Phi(x)) = x), + for the first M/2 samples, sigma =
 *       exp(logvar / 2) (paper) or exp(logvar) (authors: torch's scale);
 *   <li>regulariser parts: KL(N(mu, sigma) || N(0, sigma0)) = log(sigma0 / sigma) + (sigma^2 + mu^2) /
 *       (2 sigma0^2) - 1/2 summed, sigma0 = sqrt(prior_var) (paper) or prior_var (authors), and the
 *       entropy -sum u log(u + shift) of u = Phi(x), shift 0 (paper) or 1e-5 (authors' code).
 * </ul>
 * Layouts: pooled [batch, heads, 2d]; mu, logvar, t [batch, d, heads]; eps, x, u, z [batch, d, heads, M].
 */
final class CopulaDraw {
    static final double CLAMP = 2.0;

    private final Map<String, double[]> values;
    private final int batch, d, heads, m, n;
    private final boolean paper;
    private final double[] pooled, eps;
    final double[] mu, logvar, t, x, u, z;
    final double kl, entropy;
    private final double sigma0;

    CopulaDraw(Map<String, double[]> values, double[] pooled, double[] eps, int batch, int d, int heads, int m, double priorVar,
               Preset preset) {
        this.values = values;
        this.pooled = pooled;
        this.eps = eps;
        this.batch = batch;
        this.d = d;
        this.heads = heads;
        this.m = m;
        this.paper = preset == Preset.PAPER;
        this.n = values.get("net.b1").length;
        this.sigma0 = paper ? Math.sqrt(priorVar) : priorVar;
        if (eps.length != batch * d * heads * m) {
            throw new IllegalArgumentException("copula noise has " + eps.length + " values, expected [" + batch + ", " + d + ", "
                    + heads + ", " + m + "]");
        }
        mu = new double[batch * d * heads];
        logvar = new double[mu.length];
        t = new double[mu.length];
        encode(priorVar);
        x = new double[eps.length];
        u = new double[eps.length];
        z = new double[eps.length];
        double ent = 0, div = 0;
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < m; s++) {
                    double prefix = 0;  // paper: sum_{k<h} t_k eps_k; authors: sum_{k<h} t_k
                    for (int h = 0; h < heads; h++) {
                        int e = noiseIndex(b, r, h, s), c = (b * d + r) * heads + h;
                        double v = paper ? eps[e] + t[c] * prefix : (1 + t[c] * prefix) * eps[e];
                        prefix += paper ? t[c] * eps[e] : t[c];
                        x[e] = Math.max(-CLAMP, Math.min(CLAMP, v));
                        u[e] = StandardNormal.cdf(x[e]);
                        z[e] = (s < m / 2 ? mu[c] : -mu[c]) + sigma(c) * x[e];
                        ent -= u[e] * Math.log(u[e] + (paper ? 0 : 1e-5));
                    }
                }
            }
        }
        for (int c = 0; c < mu.length; c++) {
            double sg = sigma(c);
            div += Math.log(sigma0 / sg) + (sg * sg + mu[c] * mu[c]) / (2 * sigma0 * sigma0) - 0.5;
        }
        this.kl = div;
        this.entropy = ent;
    }

    private int noiseIndex(int b, int r, int h, int s) {
        return ((b * d + r) * heads + h) * m + s;
    }

    private double sigma(int c) {
        return Math.exp(paper ? logvar[c] / 2 : logvar[c]);
    }

    private static double lrelu(double v) {
        return v >= 0 ? v : SpectralGenerator.SLOPE * v;
    }

    private double[] hidden(int b, int h, double[] pre) {
        double[] w1 = Parameters.sized(values, "net.w1", 2 * d * n), b1 = values.get("net.b1");
        double[] hv = new double[n];
        for (int l = 0; l < n; l++) {
            double s = b1[l];
            for (int i = 0; i < 2 * d; i++) s += w1[i * n + l] * pooled[(b * heads + h) * 2 * d + i];
            pre[l] = s;
            hv[l] = lrelu(s);
        }
        return hv;
    }

    private void encode(double priorVar) {
        double[] w2 = Parameters.sized(values, "net.w2", n * d), w3 = Parameters.sized(values, "net.w3", n * d);
        double[] c = Parameters.sized(values, "net.c", n * d);
        double[] b2 = Parameters.sized(values, "net.b2", d), b3 = Parameters.sized(values, "net.b3", d);
        double[] cb = Parameters.sized(values, "net.cb", d);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[] hv = hidden(b, h, new double[n]);
                for (int r = 0; r < d; r++) {
                    double a = b2[r], v = b3[r], w = cb[r];
                    for (int l = 0; l < n; l++) {
                        a += w2[l * d + r] * hv[l];
                        v += w3[l * d + r] * hv[l];
                        w += c[l * d + r] * hv[l];
                    }
                    int idx = (b * d + r) * heads + h;
                    mu[idx] = a;
                    logvar[idx] = v + Math.log(priorVar);
                    t[idx] = Math.tanh(w);
                }
            }
        }
    }

    /**
     * m per (batch, query head) from q [batch, q_heads, q_seq, d] and the present keys
     * [batch, kv_heads, kv_seq, d]; a query head reads kv head h / (q_heads / kv_heads); only the
     * first {@code lens[b]} keys are pooled (mean 0 when there are none).
     */
    static double[] pool(double[] q, double[] k, int batch, int qHeads, int kvHeads, int qSeq, int kvSeq, int d, int[] lens) {
        double[] out = new double[batch * qHeads * 2 * d];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < qHeads; h++) {
                int kh = h * kvHeads / qHeads, o = (b * qHeads + h) * 2 * d;
                for (int c = 0; c < d; c++) {
                    double sq = 0, sk = 0;
                    for (int i = 0; i < qSeq; i++) sq += q[((b * qHeads + h) * qSeq + i) * d + c];
                    for (int j = 0; j < lens[b]; j++) sk += k[((b * kvHeads + kh) * kvSeq + j) * d + c];
                    out[o + c] = sq / qSeq;
                    out[o + d + c] = lens[b] == 0 ? 0 : sk / lens[b];
                }
            }
        }
        return out;
    }

    /**
     * From dz [batch, d, heads, M] and the regulariser's weights (klW = dReg kl_lambda, entW =
     * dReg copula_lambda) back to the encoder's weights in {@code grads} and to the pooled inputs,
     * returned as dm [batch, heads, 2d]. The clamp passes no gradient where it clips; H(u) reaches
     * x through dPhi/dx = phi(x).
     */
    double[] backward(double[] dz, double klW, double entW, Map<String, double[]> grads) {
        double[] dMu = new double[mu.length], dLogvar = new double[mu.length], dT = new double[mu.length];
        double logScale = paper ? 0.5 : 1.0;  // d sigma / d logvar = logScale sigma
        double shift = paper ? 0 : 1e-5;
        double[] dv = new double[heads];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < m; s++) {
                    for (int h = 0; h < heads; h++) {
                        int e = noiseIndex(b, r, h, s), c = (b * d + r) * heads + h;
                        double sg = sigma(c);
                        dMu[c] += s < m / 2 ? dz[e] : -dz[e];
                        dLogvar[c] += dz[e] * x[e] * sg * logScale;
                        double dx = dz[e] * sg;
                        if (entW != 0) dx -= entW * (Math.log(u[e] + shift) + u[e] / (u[e] + shift)) * StandardNormal.pdf(x[e]);
                        dv[h] = Math.abs(x[e]) < CLAMP ? dx : 0;
                    }
                    // v_h = eps_h + t_h P_h, P_h = sum_{k<h} t_k eps_k (paper); v_h = (1 + t_h T_h) eps_h, T_h = sum_{k<h} t_k
                    double prefix = 0;
                    for (int h = 0; h < heads; h++) {
                        int e = noiseIndex(b, r, h, s), c = (b * d + r) * heads + h;
                        dT[c] += paper ? dv[h] * prefix : dv[h] * eps[e] * prefix;
                        prefix += paper ? t[c] * eps[e] : t[c];
                    }
                    double suffix = 0;  // sum over later heads h of d v_h / d prefix_h
                    for (int h = heads - 1; h >= 0; h--) {
                        int e = noiseIndex(b, r, h, s), c = (b * d + r) * heads + h;
                        dT[c] += paper ? suffix * eps[e] : suffix;
                        suffix += paper ? dv[h] * t[c] : dv[h] * t[c] * eps[e];
                    }
                }
            }
        }
        for (int c = 0; c < mu.length; c++) {
            double sg = sigma(c);
            dMu[c] += klW * mu[c] / (sigma0 * sigma0);
            dLogvar[c] += klW * (-1 / sg + sg / (sigma0 * sigma0)) * sg * logScale;
        }
        return encoderBackward(dMu, dLogvar, dT, grads);
    }

    private double[] encoderBackward(double[] dMu, double[] dLogvar, double[] dT, Map<String, double[]> grads) {
        double[] w1 = values.get("net.w1"), w2 = values.get("net.w2"), w3 = values.get("net.w3"), c = values.get("net.c");
        double[] dm = new double[pooled.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[] pre = new double[n], hv = hidden(b, h, pre), dh = new double[n];
                for (int r = 0; r < d; r++) {
                    int idx = (b * d + r) * heads + h;
                    double gm = dMu[idx], gv = dLogvar[idx], gt = dT[idx] * (1 - t[idx] * t[idx]);
                    grads.get("net.b2")[r] += gm;
                    grads.get("net.b3")[r] += gv;
                    grads.get("net.cb")[r] += gt;
                    for (int l = 0; l < n; l++) {
                        grads.get("net.w2")[l * d + r] += hv[l] * gm;
                        grads.get("net.w3")[l * d + r] += hv[l] * gv;
                        grads.get("net.c")[l * d + r] += hv[l] * gt;
                        dh[l] += w2[l * d + r] * gm + w3[l * d + r] * gv + c[l * d + r] * gt;
                    }
                }
                int mo = (b * heads + h) * 2 * d;
                for (int l = 0; l < n; l++) {
                    double g = dh[l] * (pre[l] >= 0 ? 1 : SpectralGenerator.SLOPE);
                    grads.get("net.b1")[l] += g;
                    for (int i = 0; i < 2 * d; i++) {
                        grads.get("net.w1")[i * n + l] += pooled[mo + i] * g;
                        dm[mo + i] += w1[i * n + l] * g;
                    }
                }
            }
        }
        return dm;
    }
}
