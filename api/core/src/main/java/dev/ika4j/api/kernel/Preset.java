/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * Which reading of the paper's formulas a kernel follows where the paper and the authors' code
 * ({@code aailabkaist/Implicit-Kernel-Attention}) differ.
 */
public enum Preset {
    /**
     * The formulas as the paper writes them: importance temperature tau = sqrt(d) (1/scale), the
     * copula mixes heads with x = L eps, N(mu, var) takes var as the variance, the copula entropy is
     * -sum u log u and the KL is against N(0, prior_var) with prior_var a variance.
     */
    PAPER,
    /**
     * What the authors' PyTorch code computes: tau = d^(1/4) (their {@code ika_ns} divides the
     * squared norms by 2 sqrt(d_k) where d_k is already sqrt(head_dim)); their copula einsum
     * {@code 'ijk,ijl->ijl'} multiplies each head's noise by the row sum of L instead of mixing
     * heads; their {@code Normal(mu, var)} takes var = exp(logvar) as the standard deviation, in the
     * marginals, in q(z) and in the prior N(0, prior_var); the entropy is -sum u log(u + 1e-5).
     */
    AUTHORS;

    /** "paper" or "authors", as the command line spells it. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses "paper" or "authors" (any case). */
    public static Preset parse(String s) {
        for (Preset p : values()) if (p.label().equalsIgnoreCase(s)) return p;
        throw new IllegalArgumentException("preset must be 'paper' or 'authors', got '" + s + "'");
    }
}
