/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spectral points W1, W2 of one call of a spectral kernel, computed in float64 from parameter
 * values by name (so that they can be perturbed), and the backward pass from dW1, dW2 (and the
 * regulariser's weight) to the parameters: directly for IKA-direct, through the two generators
 * for the generator kernel, and through the generators, the copula's reparameterised sample
 * (z = mean + std Phi^-1(Phi(clamp(x))), x from L and the fixed noise eps) and its encoder down to
 * the pooled queries and keys for the copula kernel.
 *
 * <p>A backward pass must see the noise the forward saw: fixed noise, or an inference-mode seed
 * (always draw 0). A training-mode seed draws afresh on every call and is rejected.
 */
public final class SpectralPoints {
    public final PaperKernel kernel;
    /** [batch, d, heads, M] when {@link #perBatch}, else [d, heads, M]. */
    public final double[] w1, w2;
    public final boolean perBatch;
    public final int batch, dim, heads, samples;
    /** Importance order and temperature, eps inside the log, frequency scale c. */
    public final double p, tau, eps, frequencyScale;
    /** The kernel's regulariser (copula: kl_lambda KL + copula_lambda H(u)), else 0. */
    public final double regularizer;

    private final Map<String, double[]> values;
    private final double[] noise;
    private final double[] pooled;
    private final PaperMath.CopulaParams copula;
    private final PaperMath.CopulaSample sample;
    private final int qSeq, kvSeq, kvHeads;
    private final int[] kvLengths;

    private SpectralPoints(PaperKernel kernel, IkaOptions o, AttentionProblem p, Map<String, double[]> values, double[] w1,
                           double[] w2, boolean perBatch, int samples, double[] noise, double[] pooled,
                           PaperMath.CopulaParams copula, PaperMath.CopulaSample sample, double regularizer) {
        this.kernel = kernel;
        this.values = values;
        this.w1 = w1;
        this.w2 = w2;
        this.perBatch = perBatch;
        this.batch = p.batch();
        this.dim = p.dim();
        this.heads = p.qHeads();
        this.samples = samples;
        this.p = o.p();
        this.tau = o.resolveTau(p.scale());
        this.eps = o.eps();
        this.frequencyScale = o.frequencyScale();
        this.noise = noise;
        this.pooled = pooled;
        this.copula = copula;
        this.sample = sample;
        this.regularizer = regularizer;
        this.qSeq = p.qSeq();
        this.kvSeq = p.kvSeq();
        this.kvHeads = p.kvHeads();
        this.kvLengths = p.kvLengths();
    }

    /** Offset of batch b's [d, heads, M] block in {@link #w1} and {@link #w2}. */
    public int wOffset(int b) {
        return perBatch ? b * dim * heads * samples : 0;
    }

    /**
     * Resolves the spectral points of {@code p}'s kernel (IKA-direct, generator or copula) with the
     * parameter {@code values} (names as {@link KernelParameters#of}); q and k are the call's float64
     * queries [batch, q_heads, q_seq, d] and present keys [batch, kv_heads, total_kv, d] (the copula
     * pools them).
     */
    public static SpectralPoints of(AttentionProblem p, Map<String, double[]> values, double[] q, double[] k) {
        if (p.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + p.softcap() + ") applies to the standard kernel only, not '"
                    + p.kernel().name() + "'");
        }
        Map<String, double[]> vals = new LinkedHashMap<>(KernelParameters.of(p.kernel()));
        vals.putAll(values);
        return switch (KernelParameters.withValues(p.kernel(), vals)) {
            case IkaDirectKernel kd -> {
                if (kd.headDim() != p.dim() || kd.heads() != p.qHeads()) {
                    throw new IllegalArgumentException("w1/w2 " + kd.w1().shapeString() + " must be [d, q_heads, M] = [" + p.dim()
                            + ", " + p.qHeads() + ", M] for Q " + p.q().shapeString());
                }
                yield new SpectralPoints(kd, kd.options(), p, vals, vals.get("w1"), vals.get("w2"), false, kd.samples(), null, null,
                        null, null, 0.0);
            }
            case IkaGeneratorKernel kg -> {
                int m = kg.samples();
                checkDim("g1", kg.g1().headDim(), p);
                checkDim("g2", kg.g2().headDim(), p);
                double[] z = noise(kg.noise(), kg.name(), p.dim(), p.qHeads(), m);
                double[] a = PaperMath.generate(kg.g1(), z, 1, p.qHeads() * m);
                double[] b = PaperMath.generate(kg.g2(), z, 1, p.qHeads() * m);
                yield new SpectralPoints(kg, kg.options(), p, vals, a, b, false, m, z, null, null, null, 0.0);
            }
            case CopulaKernel kc -> {
                int m = kc.samples();
                checkDim("the copula net", kc.net().headDim(), p);
                checkDim("g1", kc.g1().headDim(), p);
                checkDim("g2", kc.g2().headDim(), p);
                Preset preset = kc.options().preset();
                double[] pooled = PaperMath.pool(q, k, p.batch(), p.qHeads(), p.kvHeads(), p.qSeq(), p.kvSeq(), p.dim(), p.kvLengths());
                PaperMath.CopulaParams cp = PaperMath.encode(kc.net(), pooled, p.batch(), p.qHeads(), kc.priorVar());
                double[] eps = noise(kc.noise(), kc.name(), p.batch(), p.dim(), p.qHeads(), m);
                PaperMath.CopulaSample s = PaperMath.sample(cp, eps, m, preset);
                double[] a = PaperMath.generate(kc.g1(), s.z(), p.batch(), p.qHeads() * m);
                double[] b = PaperMath.generate(kc.g2(), s.z(), p.batch(), p.qHeads() * m);
                double reg = kc.klLambda() * PaperMath.klDivergence(cp, kc.priorVar(), preset)
                        + kc.copulaLambda() * PaperMath.copulaEntropy(s.u(), preset);
                yield new SpectralPoints(kc, kc.options(), p, vals, a, b, true, m, eps, pooled, cp, s, reg);
            }
            default -> throw new IllegalArgumentException("kernel '" + p.kernel().name() + "' has no spectral points");
        };
    }

    private static void checkDim(String which, int d, AttentionProblem p) {
        if (d != p.dim()) {
            throw new IllegalArgumentException(which + " maps d = " + d + " but Q " + p.q().shapeString() + " has head_dim " + p.dim());
        }
    }

    private static double[] noise(NoiseSource n, String kernel, int... shape) {
        if (!n.isFixed() && n.mode() == NoiseSource.Mode.TRAINING) {
            throw new IllegalArgumentException("'" + kernel + "' with " + n + " draws fresh noise on every call, so a backward"
                    + " pass cannot see the forward's draw; pass that draw as NoiseSource.fixed(z) to both calls");
        }
        return n.next(shape).toArray();
    }

    /** Zero gradients for every parameter of the kernel, in {@link KernelParameters#of} order. */
    public Map<String, double[]> zeroGradients() {
        Map<String, double[]> g = new LinkedHashMap<>();
        values.forEach((n, v) -> g.put(n, new double[v.length]));
        return g;
    }

    /**
     * Adds to {@code grads} (names as {@link #zeroGradients}) and to dq, dk (flat like the call's
     * q and present keys; the copula's pooling reaches them) the gradient of
     * {@code <dW1, W1> + <dW2, W2> + dRegularizer * regularizer}.
     */
    public void backward(double[] dW1, double[] dW2, double dRegularizer, Map<String, double[]> grads, double[] dq, double[] dk) {
        switch (kernel) {
            case IkaDirectKernel kd -> {
                add(grads.get("w1"), dW1);
                add(grads.get("w2"), dW2);
            }
            case IkaGeneratorKernel kg -> {
                int inner = heads * samples;
                GeneratorBackward.run(values, grads, "g1", dim, noise, 1, inner, dW1, null);
                GeneratorBackward.run(values, grads, "g2", dim, noise, 1, inner, dW2, null);
            }
            case CopulaKernel kc -> {
                int inner = heads * samples;
                double[] dz = new double[sample.z().length];
                GeneratorBackward.run(values, grads, "g1", dim, sample.z(), batch, inner, dW1, dz);
                GeneratorBackward.run(values, grads, "g2", dim, sample.z(), batch, inner, dW2, dz);
                copulaBackward(kc, dz, dRegularizer, grads, dq, dk);
            }
            default -> throw new IllegalStateException("kernel '" + kernel.name() + "' has no spectral points");
        }
    }

    private static void add(double[] acc, double[] g) {
        for (int i = 0; i < acc.length; i++) acc[i] += g[i];
    }

    /**
     * From dz (and the regulariser) back through the sample, L, the encoder and the pooling. With
     * x = clamp(v) and u = Phi(x): z = mean + std Phi^-1(u) = mean + std x, so dz/dx = std and
     * dz/dstd = x; the clamp passes no gradient where it clips; H(u) reaches x through Phi' = the
     * normal density.
     */
    private void copulaBackward(CopulaKernel kc, double[] dz, double dReg, Map<String, double[]> grads, double[] dq, double[] dk) {
        Preset preset = kc.options().preset();
        int m = samples, hN = heads, d = dim;
        PaperMath.CopulaParams cp = copula;
        double[] dMu = new double[cp.mu().length], dLogvar = new double[cp.mu().length], dT = new double[cp.mu().length];
        double entW = dReg * kc.copulaLambda(), klW = dReg * kc.klLambda();
        double shift = preset == Preset.PAPER ? 0 : PaperMath.AUTHORS_ENTROPY_EPS;
        double[] col = new double[hN], dv = new double[hN];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < d; r++) {
                double[][] l = PaperMath.lowerFactor(cp, b, r);
                double[][] dL = new double[hN][hN];
                for (int s = 0; s < m; s++) {
                    for (int h = 0; h < hN; h++) {
                        int o = ((b * d + r) * hN + h) * m + s, idx = cp.index(b, r, h);
                        col[h] = noise[o];
                        double x = sample.x()[o], u = sample.u()[o];
                        double std = preset == Preset.PAPER ? Math.exp(0.5 * cp.logvar()[idx]) : Math.exp(cp.logvar()[idx]);
                        dMu[idx] += s < m / 2 ? dz[o] : -dz[o];
                        dLogvar[idx] += dz[o] * x * std * (preset == Preset.PAPER ? 0.5 : 1.0);
                        double dx = dz[o] * std;
                        if (entW != 0) dx += entW * -(Math.log(u + shift) + u / (u + shift)) * Gaussian.pdf(x);
                        // the clamp: the unclamped value v lies strictly inside (-2, 2) exactly when x does
                        dv[h] = Math.abs(x) < PaperMath.COPULA_CLAMP ? dx : 0.0;
                    }
                    for (int h = 0; h < hN; h++) {
                        if (dv[h] == 0) continue;
                        for (int k = 0; k < h; k++) dL[h][k] += dv[h] * (preset == Preset.PAPER ? col[k] : col[h]);
                    }
                }
                // L[h][k] = t_h t_k below the diagonal
                for (int h = 0; h < hN; h++) {
                    for (int k = 0; k < h; k++) {
                        dT[cp.index(b, r, h)] += dL[h][k] * cp.t()[cp.index(b, r, k)];
                        dT[cp.index(b, r, k)] += dL[h][k] * cp.t()[cp.index(b, r, h)];
                    }
                }
            }
        }
        if (klW != 0) {
            double pv = kc.priorVar();
            for (int i = 0; i < dMu.length; i++) {
                double mu = cp.mu()[i], lv = cp.logvar()[i];
                if (preset == Preset.PAPER) {
                    dMu[i] += klW * mu / pv;
                    dLogvar[i] += klW * 0.5 * (Math.exp(lv) / pv - 1);
                } else {
                    double ratio = Math.exp(lv) / pv;
                    dMu[i] += klW * mu / (pv * pv);
                    dLogvar[i] += klW * (ratio * ratio - 1);
                }
            }
        }
        encoderBackward(kc.net(), dMu, dLogvar, dT, grads, dq, dk);
    }

    /** mu = W2^T h + b2, logvar = W3^T h + b3 + log prior, t = tanh(C^T h + cb), h = LReLU(W1^T m + b1). */
    private void encoderBackward(CopulaNet net, double[] dMu, double[] dLogvar, double[] dT, Map<String, double[]> grads,
                                 double[] dq, double[] dk) {
        int d = dim, n = net.hidden(), hN = heads;
        double[] w1 = values.get("net.w1"), w2 = values.get("net.w2"), w3 = values.get("net.w3"), c = values.get("net.c");
        double[] b1 = values.get("net.b1");
        double[] gw1 = grads.get("net.w1"), gb1 = grads.get("net.b1"), gw2 = grads.get("net.w2"), gb2 = grads.get("net.b2");
        double[] gw3 = grads.get("net.w3"), gb3 = grads.get("net.b3"), gc = grads.get("net.c"), gcb = grads.get("net.cb");
        double[] dPool = new double[pooled.length];
        double[] hv = new double[n], pre = new double[n], dH = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < hN; h++) {
                int mo = (b * hN + h) * 2 * d;
                for (int l = 0; l < n; l++) {
                    double s = b1[l];
                    for (int i = 0; i < 2 * d; i++) s += pooled[mo + i] * w1[i * n + l];
                    pre[l] = s;
                    hv[l] = PaperMath.leakyRelu(s);
                }
                Arrays.fill(dH, 0);
                for (int r = 0; r < d; r++) {
                    int idx = copula.index(b, r, h);
                    double t = copula.t()[idx];
                    double gm = dMu[idx], gv = dLogvar[idx], gt = dT[idx] * (1 - t * t);
                    gb2[r] += gm;
                    gb3[r] += gv;
                    gcb[r] += gt;
                    for (int l = 0; l < n; l++) {
                        gw2[l * d + r] += hv[l] * gm;
                        gw3[l * d + r] += hv[l] * gv;
                        gc[l * d + r] += hv[l] * gt;
                        dH[l] += w2[l * d + r] * gm + w3[l * d + r] * gv + c[l * d + r] * gt;
                    }
                }
                for (int l = 0; l < n; l++) {
                    double g = dH[l] * GeneratorBackward.slope(pre[l]);
                    gb1[l] += g;
                    for (int i = 0; i < 2 * d; i++) {
                        gw1[i * n + l] += pooled[mo + i] * g;
                        dPool[mo + i] += w1[i * n + l] * g;
                    }
                }
            }
        }
        // m = [mean_i q_i ; mean_{j < len} k_j], keys of the query head's KV head
        int group = hN / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < hN; h++) {
                int mo = (b * hN + h) * 2 * d;
                for (int i = 0; i < qSeq; i++) {
                    int qo = ((b * hN + h) * qSeq + i) * d;
                    for (int cc = 0; cc < d; cc++) dq[qo + cc] += dPool[mo + cc] / qSeq;
                }
                int len = kvLengths[b], kh = h / group;
                for (int j = 0; j < len; j++) {
                    int ko = ((b * kvHeads + kh) * kvSeq + j) * d;
                    for (int cc = 0; cc < d; cc++) dk[ko + cc] += dPool[mo + d + cc] / len;
                }
            }
        }
    }

    /** The generator's noise or the copula's eps this call used; null for IKA-direct. */
    public double[] noise() {
        return noise == null ? null : noise.clone();
    }
}
