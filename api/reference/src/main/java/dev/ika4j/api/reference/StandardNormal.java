/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

/**
 * The standard normal distribution where the copula needs it: its clamped samples lie in
 * [-2, 2], so Phi is summed from the Maclaurin series of erf, erf(t) = 2/sqrt(pi) sum_n (-1)^n
 * t^(2n+1) / (n! (2n+1)), which for |t| &lt;= sqrt(2) has no term above 1.5 and converges to the
 * last bit in about 30 terms. Phi^-1 is never needed: z = mean + std Phi^-1(Phi(x)) is
 * mean + std x (the production plan evaluates the quantile, so the tests check it).
 */
final class StandardNormal {
    private StandardNormal() {}

    /** The widest |x| this series is used for: the copula's clamp, with room for rounding. */
    static final double RANGE = 2.0 + 1e-12;

    /** Phi(x) = (1 + erf(x / sqrt 2)) / 2 for |x| &lt;= {@link #RANGE}. */
    static double cdf(double x) {
        if (!(Math.abs(x) <= RANGE)) throw new IllegalArgumentException("Phi(" + x + ") is summed for |x| <= 2 only");
        double t = x / Math.sqrt(2.0), t2 = t * t, power = t, sum = 0;
        double factorial = 1;
        for (int n = 0; n < 60; n++) {
            if (n > 0) {
                power *= -t2;
                factorial *= n;
            }
            double term = power / (factorial * (2 * n + 1));
            sum += term;
            if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
        }
        return 0.5 + sum / Math.sqrt(Math.PI);
    }

    /** phi(x) = e^(-x^2/2) / sqrt(2 pi). */
    static double pdf(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }
}
