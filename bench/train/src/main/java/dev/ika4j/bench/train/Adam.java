/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.List;

/**
 * {@code torch.optim.Adam} with its defaults (betas 0.9 / 0.999, eps 1e-8, no weight decay), and
 * {@code clip_grad_norm_}.
 */
public final class Adam {
    public static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
    private final List<Param> params;
    private final double lr;
    private int step;

    public Adam(List<Param> params, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    public void zeroGrad() {
        for (Param p : params) p.zeroGrad();
    }

    /**
     * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),
     * as PyTorch computes it.
     */
    public void step() {
        step++;
        double c1 = 1 - Math.pow(BETA1, step), c2 = 1 - Math.pow(BETA2, step);
        for (Param p : params) {
            for (int i = 0; i < p.value.length; i++) {
                double g = p.grad[i];
                p.adamM[i] = BETA1 * p.adamM[i] + (1 - BETA1) * g;
                p.adamV[i] = BETA2 * p.adamV[i] + (1 - BETA2) * g * g;
                p.value[i] -= lr * (p.adamM[i] / c1) / (Math.sqrt(p.adamV[i] / c2) + EPS);
            }
        }
    }

    /**
     * Scales every gradient by maxNorm / (norm + 1e-6) when their joint L2 norm exceeds maxNorm,
     * as {@code torch.nn.utils.clip_grad_norm_}.
     *
     * @return the norm before clipping
     */
    public static double clipGradNorm(List<Param> params, double maxNorm) {
        double sq = 0;
        for (Param p : params) for (double g : p.grad) sq += g * g;
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Param p : params) for (int i = 0; i < p.grad.length; i++) p.grad[i] *= coef;
        }
        return norm;
    }
}
