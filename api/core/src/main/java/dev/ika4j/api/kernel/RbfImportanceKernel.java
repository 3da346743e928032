/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * Sections 1 and 2 of the paper: attention as an RBF kernel times an importance,
 *
 * <pre>
 *   logit_ij = -|q_i - k_j|_2^2 / (2 tau) + |q_i|_p^2 / (2 tau) + |k_j|_p^2 / (2 tau)
 * </pre>
 *
 * i.e. log kappa + I(q_i) + I(k_j) with kappa = exp(-|q-k|^2 / (2 tau)) and I_p(x) = |x|_p^2 / (2 tau).
 * With p = 2 and tau = 1/scale (the default: sqrt(d)) this is exactly standard attention, since
 * q.k = (|q|^2 + |k|^2 - |q-k|^2) / 2; I(q_i) cancels in the softmax but is part of the energy.
 * {@code KernelFactors} of the reference (ika4j-reference) returns the two factors for inspection.
 *
 * @param p   order of the importance norm, > 0 (the authors use 1.8, 2, 2.5, 3); infinity means max
 * @param tau temperature, finite and > 0, or null for 1/scale
 */
public record RbfImportanceKernel(double p, Double tau) implements PaperKernel {
    public RbfImportanceKernel {
        Checks.normOrder(p);
        if (tau != null) Checks.positive("tau", tau);
    }

    /** p = 2 and tau = 1/scale: standard attention in its kernel-times-importance form. */
    public static RbfImportanceKernel standardForm() {
        return new RbfImportanceKernel(2.0, null);
    }

    /** The L^p importance with tau = 1/scale. */
    public static RbfImportanceKernel lp(double p) {
        return new RbfImportanceKernel(p, null);
    }

    /** The temperature for a call with logit scale {@code scale}. */
    public double resolveTau(double scale) {
        return tau != null ? tau : 1.0 / scale;
    }

    @Override
    public String name() {
        return "rbf-importance";
    }
}
