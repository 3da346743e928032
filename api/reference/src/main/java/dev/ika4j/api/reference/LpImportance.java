/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

/**
 * The importance of sections 1 and 2, I_p(x) = ||x||_p^2 / (2 tau), and its gradient, written in
 * terms of the norm itself: ||x||_p = max |x_r| (sum (|x_r| / max)^p)^(1/p) (the max taken out so
 * that no power overflows) and d||x||_p / dx_r = sign(x_r) (|x_r| / ||x||_p)^(p - 1), a ratio at
 * most 1 for p &gt;= 1. p = infinity is the max norm.
 */
final class LpImportance {
    private LpImportance() {}

    /** ||x||_p of x[off, off + n); NaN when x holds one, 0 for zeros, infinity when x does. */
    static double norm(double[] x, int off, int n, double p) {
        double max = 0;
        for (int r = off; r < off + n; r++) {
            if (Double.isNaN(x[r])) return Double.NaN;
            max = Math.max(max, Math.abs(x[r]));
        }
        if (max == 0 || Double.isInfinite(max) || p == Double.POSITIVE_INFINITY) return max;
        double sum = 0;
        for (int r = off; r < off + n; r++) sum += Math.pow(Math.abs(x[r]) / max, p);
        return max * Math.pow(sum, 1.0 / p);
    }

    /** I_p(x) = ||x||_p^2 / (2 tau). */
    static double value(double[] x, int off, int n, double p, double tau) {
        double nrm = norm(x, off, n, p);
        return nrm * nrm / (2 * tau);
    }

    /**
     * Adds {@code g dI_p/dx} to {@code out[outOff, outOff + n)}: dI/dx_r = ||x|| d||x||/dx_r / tau.
     * Where the norm has no derivative (zero entries with p &lt;= 1, x = 0, a non-finite norm) the
     * term is 0; p = infinity takes the first largest entry.
     */
    static void addGradient(double[] x, int off, int n, double p, double tau, double g, double[] out, int outOff) {
        if (g == 0) return;
        double nrm = norm(x, off, n, p);
        if (!(nrm > 0) || Double.isInfinite(nrm)) return;
        double f = g * nrm / tau;
        if (p == Double.POSITIVE_INFINITY) {
            for (int r = 0; r < n; r++) {
                if (Math.abs(x[off + r]) == nrm) {
                    out[outOff + r] += f * Math.signum(x[off + r]);
                    return;
                }
            }
            return;
        }
        for (int r = 0; r < n; r++) {
            double v = x[off + r];
            if (v != 0) out[outOff + r] += f * Math.signum(v) * Math.pow(Math.abs(v) / nrm, p - 1);
        }
    }
}
