/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Objects;

/**
 * Section 5 of the paper: structured multi-head attention, the authors' MIKAN. The heads' noise is
 * coupled through a Gaussian copula whose parameters an encoder ({@link CopulaNet}) reads from the
 * pooled queries and keys; two generators turn the noise into per-batch W1, W2; then the logits of
 * {@link IkaDirectKernel}. Per batch b, dimension r, head h and sample s:
 *
 * <pre>
 *   eps ~ N(0, I)                       noise [batch, d, heads, M]: columns [0, M/2) the positive
 *                                       half, [M/2, M) the negative half (independent draws)
 *   x   = clamp(L eps, -2, 2)           L over heads, per (b, r)
 *   u   = Phi(x)                        standard normal CDF
 *   z   = F^-1(u) of N(+mu, var) (positive half) or N(-mu, var) (negative half)
 *   W1  = g1(z), W2 = g2(z)             per batch, [d, heads, M]
 * </pre>
 *
 * The result's regulariser is kl_lambda * sum KL(q(z) || N(0, prior_var)) + copula_lambda * H(u) with
 * H(u) = -sum u log u over every u of the call.
 *
 * <p>Presets, {@link IkaOptions#preset()}:
 * <ul>
 *   <li>{@link Preset#PAPER} (default): x = L eps mixes the heads; var = exp(logvar) is the variance
 *       (the marginal's standard deviation is exp(logvar / 2)); KL against N(0, prior_var) with
 *       prior_var a variance; H(u) = -sum u log u; tau = 1/scale.
 *   <li>{@link Preset#AUTHORS}: as their code computes. Their einsum {@code 'ijk,ijl->ijl'} gives
 *       x_h = (sum_k L_hk) eps_h, each head's own noise times the row sum of L, so heads do not mix;
 *       {@code Normal(mu, var)} takes var = exp(logvar) as the standard deviation, in the marginals
 *       and in the KL, and the prior N(0, prior_var) has standard deviation prior_var;
 *       H(u) = -sum u log(u + 1e-5); tau = sqrt(1/scale) = d^(1/4). Their code runs with batch 1
 *       and draws one noise for it; here every batch has its own noise and its own L.
 * </ul>
 * The authors' code also applies dropout to the importance term in training; no preset does.
 *
 * @param net          the encoder of mu, logvar and L
 * @param g1           generator of W1
 * @param g2           generator of W2
 * @param samples      M, even and >= 2 (M/2 positive and M/2 negative samples)
 * @param noise        standard-normal eps [batch, d, heads, M], fixed or seeded
 * @param priorVar     the prior's variance (standard deviation in the authors' preset), > 0; 0.1 in
 *                     the authors' code
 * @param klLambda     weight of the KL term, >= 0 (0.1 in the authors' code)
 * @param copulaLambda weight of the copula entropy, >= 0 (1.0 in the authors' code)
 * @param options      c, p, preset/tau, eps, linear-time mode
 */
public record CopulaKernel(CopulaNet net, SpectralGenerator g1, SpectralGenerator g2, int samples, NoiseSource noise,
                           double priorVar, double klLambda, double copulaLambda, IkaOptions options) implements PaperKernel {
    public static final double DEFAULT_PRIOR_VAR = 0.1;
    public static final double DEFAULT_KL_LAMBDA = 0.1;
    public static final double DEFAULT_COPULA_LAMBDA = 1.0;

    public CopulaKernel {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(g1, "g1");
        Objects.requireNonNull(g2, "g2");
        int d = net.headDim();
        if (g1.headDim() != d || g2.headDim() != d) {
            throw new IllegalArgumentException("the copula net (d = " + d + "), g1 (d = " + g1.headDim() + ") and g2 (d = "
                    + g2.headDim() + ") must share head_dim");
        }
        if (samples < 2 || samples % 2 != 0) {
            throw new IllegalArgumentException("samples (M) must be even and >= 2 (M/2 positive, M/2 negative), got " + samples);
        }
        Objects.requireNonNull(noise, "noise");
        if (noise.isFixed()) {
            ParamTensor z = noise.fixedNoise();
            if (z.rank() != 4 || z.dim(1) != d || z.dim(3) != samples) {
                throw new IllegalArgumentException("noise must have shape [batch, d, heads, M] = [batch, " + d + ", heads, " + samples
                        + "], got " + z.shapeString());
            }
        }
        Checks.positive("priorVar", priorVar);
        Checks.nonNegative("klLambda", klLambda);
        Checks.nonNegative("copulaLambda", copulaLambda);
        Objects.requireNonNull(options, "options");
    }

    /** A kernel with the authors' defaults: prior_var 0.1, kl_lambda 0.1, copula_lambda 1.0. */
    public CopulaKernel(CopulaNet net, SpectralGenerator g1, SpectralGenerator g2, int samples, NoiseSource noise, IkaOptions options) {
        this(net, g1, g2, samples, noise, DEFAULT_PRIOR_VAR, DEFAULT_KL_LAMBDA, DEFAULT_COPULA_LAMBDA, options);
    }

    public CopulaKernel withOptions(IkaOptions o) {
        return new CopulaKernel(net, g1, g2, samples, noise, priorVar, klLambda, copulaLambda, o);
    }

    public CopulaKernel withNoise(NoiseSource n) {
        return new CopulaKernel(net, g1, g2, samples, n, priorVar, klLambda, copulaLambda, options);
    }

    @Override
    public String name() {
        return "copula";
    }
}
