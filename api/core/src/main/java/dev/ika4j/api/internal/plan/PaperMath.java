/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.SpectralGenerator;

/**
 * The formulas of the paper's kernels as pure float64 functions on flat C-order arrays: the forward
 * passes of every backend and the backward pass recompute their intermediates (importance, phi,
 * kappa, generator outputs, the copula's mu, logvar, L, x, u, z) from these.
 *
 * <p>Layouts: spectral points W are [d, heads, M] ({@code (r * heads + h) * M + s}), per batch
 * [batch, d, heads, M]; copula quantities per (batch, dimension, head) are [batch, d, heads]; noise
 * and samples are [batch, d, heads, M].
 */
public final class PaperMath {
    private PaperMath() {}

    /** Negative slope of the leaky ReLUs of the generators and the copula encoder. */
    static final double SLOPE = SpectralGenerator.SLOPE;

    /** The clamp of the copula's x, as in the authors' code. */
    static final double COPULA_CLAMP = 2.0;

    /** Inside the log of the authors' copula entropy, -sum u log(u + 1e-5). */
    static final double AUTHORS_ENTROPY_EPS = 1e-5;

    // ---------------------------------------------------------------- importance, sections 1 and 2

    /**
     * |x|_p^2 for x = x[off, off+n), computed as max^2 (sum (|x_r|/max)^p)^(2/p) so that no power
     * overflows; p = infinity gives max^2. NaN in x gives NaN.
     */
    public static double lpNormSquared(double[] x, int off, int n, double p) {
        double max = 0;
        for (int r = 0; r < n; r++) {
            double a = Math.abs(x[off + r]);
            if (Double.isNaN(a)) return Double.NaN;
            if (a > max) max = a;
        }
        if (max == 0 || max == Double.POSITIVE_INFINITY) return max * max;
        if (p == Double.POSITIVE_INFINITY) return max * max;
        double s = 0;
        if (p == 2.0) {
            for (int r = 0; r < n; r++) {
                double a = x[off + r] / max;
                s += a * a;
            }
            return max * max * s;
        }
        for (int r = 0; r < n; r++) s += Math.pow(Math.abs(x[off + r]) / max, p);
        return max * max * Math.pow(s, 2.0 / p);
    }

    /** The importance I_p(x) = |x|_p^2 / (2 tau). */
    public static double importance(double[] x, int off, int n, double p, double tau) {
        return lpNormSquared(x, off, n, p) / (2 * tau);
    }

    /** The RBF log-kernel -|q - k|^2 / (2 tau). */
    public static double rbfLogKernel(double[] q, int qOff, double[] k, int kOff, int d, double tau) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double diff = q[qOff + c] - k[kOff + c];
            s += diff * diff;
        }
        return -s / (2 * tau);
    }

    // ---------------------------------------------------------------- the spectral kernel, section 3

    /**
     * phi(x) = [cos a + cos b ; sin a + sin b] with a = c W1^T x, b = c W2^T x, for head {@code h}
     * of spectral points W laid out [d, heads, M] from {@code wOff}; writes 2M values at
     * {@code out[outOff]}: the M cosine sums, then the M sine sums.
     */
    static void phi(double[] x, int xOff, int d, double[] w1, double[] w2, int wOff, int heads, int h, int m,
                           double c, double[] out, int outOff) {
        for (int s = 0; s < m; s++) {
            double a = 0, b = 0;
            for (int r = 0; r < d; r++) {
                int wi = wOff + (r * heads + h) * m + s;
                a += w1[wi] * x[xOff + r];
                b += w2[wi] * x[xOff + r];
            }
            a *= c;
            b *= c;
            out[outOff + s] = Math.cos(a) + Math.cos(b);
            out[outOff + m + s] = Math.sin(a) + Math.sin(b);
        }
    }

    /** kappa = (phi_a . phi_b / (4M))^2, in [0, 1]. */
    public static double spectralKernel(double[] phiA, int aOff, double[] phiB, int bOff, int m) {
        double dot = 0;
        for (int t = 0; t < 2 * m; t++) dot += phiA[aOff + t] * phiB[bOff + t];
        double s = dot / (4.0 * m);
        return s * s;
    }

    /** logit = log(kappa + eps) + I(q) + I(k). */
    public static double ikaLogit(double kappa, double eps, double importanceQ, double importanceK) {
        return Math.log(kappa + eps) + importanceQ + importanceK;
    }

    /** Number of distinct features of psi = vec(phi phi^T) / (4M): M (2M + 1). */
    public static int psiSize(int m) {
        return m * (2 * m + 1);
    }

    /**
     * psi(phi), the feature map that linearises kappa = psi(q) . psi(k): the products phi_a phi_b for
     * a &lt;= b, off-diagonal ones times sqrt(2), all over 4M.
     */
    public static void psi(double[] phi, int off, int m, double[] out, int outOff) {
        int n = 2 * m, o = outOff;
        double inv = 1.0 / (4.0 * m), root2 = Math.sqrt(2.0);
        for (int a = 0; a < n; a++) {
            out[o++] = phi[off + a] * phi[off + a] * inv;
            for (int b = a + 1; b < n; b++) out[o++] = phi[off + a] * phi[off + b] * root2 * inv;
        }
    }

    // ---------------------------------------------------------------- the generator, section 4

    static double leakyRelu(double x) {
        return x >= 0 ? x : SLOPE * x;
    }

    /**
     * Runs the generator on every column of z laid out [outer, d, inner]: column (o, t) is the d
     * values {@code z[(o * d + r) * inner + t]}; the result has the same layout.
     */
    public static double[] generate(SpectralGenerator g, double[] z, int outer, int inner) {
        return generate(g.w1().toArray(), g.b1().toArray(), g.w2().toArray(), g.b2().toArray(), g.w3().toArray(),
                g.b3().toArray(), g.headDim(), g.hidden1(), g.hidden2(), z, outer, inner);
    }

    /**
     * The generator on flat weights w1 [d, n1], b1 [n1], w2 [n1, n2], b2 [n2], w3 [n2, d], b3 [d]:
     * omega = sign(z) (W3^T LReLU(W2^T LReLU(W1^T |z| + b1) + b2) + b3), per column.
     */
    static double[] generate(double[] w1, double[] b1, double[] w2, double[] b2, double[] w3, double[] b3,
                                    int d, int n1, int n2, double[] z, int outer, int inner) {
        if (z.length != outer * d * inner) {
            throw new IllegalArgumentException("noise has " + z.length + " values, expected " + outer + " * " + d + " * " + inner);
        }
        double[] out = new double[z.length];
        // Blocks of COLUMN_BLOCK columns at once, as three matrix products with the columns
        // innermost (contiguous, so the JIT vectorises them, and a block's activations stay in
        // L1); each output still sums its inputs in the order r = 0, 1, ...
        int cb = Math.min(COLUMN_BLOCK, inner);
        double[] h1 = new double[n1 * cb], h2 = new double[n2 * cb], o = new double[d * cb], za = new double[d * cb];
        for (int oi = 0; oi < outer; oi++) {
            for (int t0 = 0; t0 < inner; t0 += cb) {
                int n = Math.min(cb, inner - t0), zo = oi * d * inner + t0;
                for (int r = 0; r < d; r++) for (int t = 0; t < n; t++) za[r * cb + t] = Math.abs(z[zo + r * inner + t]);
                layer(za, w1, b1, d, n1, cb, n, h1, true);
                layer(h1, w2, b2, n1, n2, cb, n, h2, true);
                layer(h2, w3, b3, n2, d, cb, n, o, false);
                for (int r = 0; r < d; r++) {
                    for (int t = 0; t < n; t++) out[zo + r * inner + t] = Math.signum(z[zo + r * inner + t]) * o[r * cb + t];
                }
            }
        }
        return out;
    }

    private static final int COLUMN_BLOCK = 128;

    /** y[l, t] = act(b[l] + sum_r x[r, t] w[r, l]) for t < n, rows of x and y {@code ld} apart. */
    private static void layer(double[] x, double[] w, double[] b, int in, int outDim, int ld, int n, double[] y, boolean lrelu) {
        for (int l = 0; l < outDim; l++) java.util.Arrays.fill(y, l * ld, l * ld + n, b[l]);
        for (int r = 0; r < in; r++) {
            for (int l = 0; l < outDim; l++) {
                double wv = w[r * outDim + l];
                int yo = l * ld, xo = r * ld;
                for (int t = 0; t < n; t++) y[yo + t] += x[xo + t] * wv;
            }
        }
        if (lrelu) for (int l = 0; l < outDim; l++) for (int t = 0; t < n; t++) y[l * ld + t] = leakyRelu(y[l * ld + t]);
    }

    // ---------------------------------------------------------------- the copula, section 5

    /**
     * Per batch and query head, m = [mean_i q_i ; mean_{j &lt; len_b} k_j] ([batch, q_heads, 2d]) from
     * flat BHSD q [batch, q_heads, q_seq, d] and k [batch, kv_heads, kv_seq, d]; query head h reads
     * kv head h / (q_heads / kv_heads); keys beyond the batch's valid length are not pooled (their
     * mean is 0 when none is valid).
     */
    public static double[] pool(double[] q, double[] k, int batch, int qHeads, int kvHeads, int qSeq, int kvSeq, int d,
                                int[] kvLengths) {
        double[] m = new double[batch * qHeads * 2 * d];
        int group = qHeads / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < qHeads; h++) {
                int o = (b * qHeads + h) * 2 * d;
                for (int i = 0; i < qSeq; i++) {
                    int qo = ((b * qHeads + h) * qSeq + i) * d;
                    for (int c = 0; c < d; c++) m[o + c] += q[qo + c];
                }
                for (int c = 0; c < d; c++) m[o + c] /= qSeq;
                int len = kvLengths[b], kh = h / group;
                for (int j = 0; j < len; j++) {
                    int ko = ((b * kvHeads + kh) * kvSeq + j) * d;
                    for (int c = 0; c < d; c++) m[o + d + c] += k[ko + c];
                }
                if (len > 0) for (int c = 0; c < d; c++) m[o + d + c] /= len;
            }
        }
        return m;
    }

    /**
     * The copula encoder's outputs for every (batch, dimension, head): mu, logvar and t
     * ([batch, d, heads]), and the hidden layer h ([batch, n, heads]).
     */
    public record CopulaParams(int batch, int d, int heads, int hidden, double[] mu, double[] logvar, double[] t, double[] h) {
        public int index(int b, int r, int head) {
            return (b * d + r) * heads + head;
        }
    }

    /** Runs the encoder on pooled m [batch, heads, 2d]; logvar includes + log(prior_var). */
    static CopulaParams encode(CopulaNet net, double[] pooled, int batch, int heads, double priorVar) {
        int d = net.headDim(), n = net.hidden();
        double[] w1 = net.w1().toArray(), b1 = net.b1().toArray(), w2 = net.w2().toArray(), b2 = net.b2().toArray();
        double[] w3 = net.w3().toArray(), b3 = net.b3().toArray(), c = net.c().toArray(), cb = net.cb().toArray();
        double[] mu = new double[batch * d * heads], logvar = new double[mu.length], t = new double[mu.length];
        double[] hid = new double[batch * n * heads];
        double logPrior = Math.log(priorVar);
        double[] hv = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int mo = (b * heads + h) * 2 * d;
                for (int l = 0; l < n; l++) {
                    double s = b1[l];
                    for (int i = 0; i < 2 * d; i++) s += pooled[mo + i] * w1[i * n + l];
                    hv[l] = leakyRelu(s);
                    hid[(b * n + l) * heads + h] = hv[l];
                }
                for (int r = 0; r < d; r++) {
                    double sm = b2[r], sv = b3[r], sc = cb[r];
                    for (int l = 0; l < n; l++) {
                        sm += hv[l] * w2[l * d + r];
                        sv += hv[l] * w3[l * d + r];
                        sc += hv[l] * c[l * d + r];
                    }
                    int idx = (b * d + r) * heads + h;
                    mu[idx] = sm;
                    logvar[idx] = sv + logPrior;
                    t[idx] = Math.tanh(sc);
                }
            }
        }
        return new CopulaParams(batch, d, heads, n, mu, logvar, t, hid);
    }

    /** L = I + strict_lower(t t^T) over heads for (batch b, dimension r), as [heads][heads]. */
    public static double[][] lowerFactor(CopulaParams cp, int b, int r) {
        int hN = cp.heads();
        double[][] l = new double[hN][hN];
        for (int i = 0; i < hN; i++) {
            l[i][i] = 1.0;
            for (int j = 0; j < i; j++) l[i][j] = cp.t()[cp.index(b, r, i)] * cp.t()[cp.index(b, r, j)];
        }
        return l;
    }

    /** The copula's samples, each [batch, d, heads, M]: clamped x, u = Phi(x), and z. */
    public record CopulaSample(double[] x, double[] u, double[] z) {}

    /**
     * Couples standard-normal eps [batch, d, heads, M] through L and maps it to the marginals:
     * columns s &lt; M/2 to N(mu, var), the others to N(-mu, var). {@link Preset#PAPER}: x = L eps,
     * standard deviation exp(logvar / 2). {@link Preset#AUTHORS}: x_h = (sum_k L_hk) eps_h, standard
     * deviation exp(logvar).
     */
    static CopulaSample sample(CopulaParams cp, double[] eps, int m, Preset preset) {
        int batch = cp.batch(), d = cp.d(), hN = cp.heads();
        if (eps.length != batch * d * hN * m) {
            throw new IllegalArgumentException("copula noise has " + eps.length + " values, expected [" + batch + ", " + d + ", "
                    + hN + ", " + m + "]");
        }
        double[] x = new double[eps.length], u = new double[eps.length], z = new double[eps.length];
        double[] col = new double[hN];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < d; r++) {
                double[][] l = lowerFactor(cp, b, r);
                for (int s = 0; s < m; s++) {
                    for (int h = 0; h < hN; h++) col[h] = eps[((b * d + r) * hN + h) * m + s];
                    for (int h = 0; h < hN; h++) {
                        double v = 0;
                        if (preset == Preset.PAPER) {
                            for (int k = 0; k <= h; k++) v += l[h][k] * col[k];
                        } else {
                            double rowSum = 0;
                            for (int k = 0; k < hN; k++) rowSum += l[h][k];
                            v = rowSum * col[h];
                        }
                        v = Math.max(-COPULA_CLAMP, Math.min(COPULA_CLAMP, v));
                        int idx = cp.index(b, r, h), o = ((b * d + r) * hN + h) * m + s;
                        double std = preset == Preset.PAPER ? Math.exp(0.5 * cp.logvar()[idx]) : Math.exp(cp.logvar()[idx]);
                        double mean = s < m / 2 ? cp.mu()[idx] : -cp.mu()[idx];
                        x[o] = v;
                        u[o] = Gaussian.cdf(v);
                        z[o] = mean + std * Gaussian.quantile(u[o]);
                    }
                }
            }
        }
        return new CopulaSample(x, u, z);
    }

    /**
     * sum over (batch, d, heads) of KL(q || prior). {@link Preset#PAPER}: q = N(mu, exp(logvar)),
     * prior N(0, prior_var), both variances. {@link Preset#AUTHORS}: exp(logvar) and prior_var are
     * standard deviations, as torch's {@code Normal(loc, scale)} reads them.
     */
    static double klDivergence(CopulaParams cp, double priorVar, Preset preset) {
        double sum = 0;
        for (int i = 0; i < cp.mu().length; i++) {
            double mu = cp.mu()[i], lv = cp.logvar()[i];
            if (preset == Preset.PAPER) {
                sum += 0.5 * (Math.log(priorVar) - lv + (Math.exp(lv) + mu * mu) / priorVar - 1);
            } else {
                double ratio = Math.exp(lv) / priorVar;
                sum += 0.5 * (ratio * ratio + mu * mu / (priorVar * priorVar) - 1) - Math.log(ratio);
            }
        }
        return sum;
    }

    /** -sum u log u ({@link Preset#PAPER}) or -sum u log(u + 1e-5) ({@link Preset#AUTHORS}). */
    static double copulaEntropy(double[] u, Preset preset) {
        double shift = preset == Preset.PAPER ? 0 : AUTHORS_ENTROPY_EPS, sum = 0;
        for (double v : u) sum -= v * Math.log(v + shift);
        return sum;
    }

    // ---------------------------------------------------------------- linear time, section 6

    /**
     * Section 6 in float64, for one (batch, head): out_i = sum_{j &lt; limit_i} w_ij v_j / sum w_ij with
     * w_ij = (psi(q_i) . psi(k_j) + eps) e^{I(k_j)}, from running sums over keys in order, so any
     * non-decreasing {@code limits} (causal, valid lengths) costs one pass. The running sums are kept
     * relative to the largest I(k) so far and rescaled when it grows, so no exp overflows. A row with
     * limit 0 (or zero total weight) is zeros, as in the quadratic form.
     *
     * @param phiQ   [qSeq, 2M]
     * @param phiK   [kvSeq, 2M]
     * @param impK   I(k_j), [kvSeq]
     * @param v      [kvSeq, vDim]
     * @param limits per query, the number of leading keys it sees, non-decreasing
     * @return [qSeq, vDim]
     */
    public static double[] linearAttention(double[] phiQ, double[] phiK, double[] impK, double[] v, int qSeq, int kvSeq,
                                           int m, int vDim, double eps, int[] limits) {
        int pN = psiSize(m);
        double[] sMat = new double[pN * vDim], zVec = new double[pN], sv = new double[vDim];
        double z0 = 0, ref = Double.NEGATIVE_INFINITY;
        double[] psiK = new double[pN], psiQ = new double[pN], out = new double[qSeq * vDim];
        int next = 0;
        for (int i = 0; i < qSeq; i++) {
            if (i > 0 && limits[i] < limits[i - 1]) throw new IllegalArgumentException("limits must be non-decreasing");
            for (; next < limits[i]; next++) {
                double ik = impK[next];
                if (ik > ref) {
                    double f = ref == Double.NEGATIVE_INFINITY ? 0 : Math.exp(ref - ik);
                    for (int t = 0; t < sMat.length; t++) sMat[t] *= f;
                    for (int t = 0; t < pN; t++) zVec[t] *= f;
                    for (int c = 0; c < vDim; c++) sv[c] *= f;
                    z0 *= f;
                    ref = ik;
                }
                double e = Math.exp(ik - ref);
                psi(phiK, next * 2 * m, m, psiK, 0);
                for (int t = 0; t < pN; t++) {
                    double w = e * psiK[t];
                    zVec[t] += w;
                    for (int c = 0; c < vDim; c++) sMat[t * vDim + c] += w * v[next * vDim + c];
                }
                for (int c = 0; c < vDim; c++) sv[c] += e * v[next * vDim + c];
                z0 += e;
            }
            if (limits[i] == 0) continue;
            psi(phiQ, i * 2 * m, m, psiQ, 0);
            double den = eps * z0;
            for (int t = 0; t < pN; t++) den += psiQ[t] * zVec[t];
            if (Double.isNaN(den)) java.util.Arrays.fill(out, i * vDim, (i + 1) * vDim, Double.NaN);
            if (!(den > 0)) continue;
            for (int c = 0; c < vDim; c++) {
                double num = eps * sv[c];
                for (int t = 0; t < pN; t++) num += psiQ[t] * sMat[t * vDim + c];
                out[i * vDim + c] = num / den;
            }
        }
        return out;
    }
}
