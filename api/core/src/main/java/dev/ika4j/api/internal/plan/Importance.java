/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

/** The gradient of the L^p importance I_p(x) = |x|_p^2 / (2 tau) of {@link PaperMath#importance}. */
public final class Importance {
    private Importance() {}

    /**
     * Adds {@code g * dI/dx} to {@code out[outOff ..+n)}. With N = |x|_p^2 = max^2 S^(2/p),
     * S = sum (|x_r| / max)^p: dN/dx_r = 2 max S^(2/p - 1) (|x_r| / max)^(p-1) sign(x_r), written with
     * the same scaling so that no power overflows; p = infinity: 2 max sign at the first largest
     * entry. Where the norm is not differentiable (x_r = 0 with p &lt;= 1) the term is 0.
     */
    public static void addGradient(double[] x, int off, int n, double p, double tau, double g, double[] out, int outOff) {
        if (g == 0) return;
        double max = 0;
        int arg = -1;
        for (int r = 0; r < n; r++) {
            double a = Math.abs(x[off + r]);
            if (a > max) {
                max = a;
                arg = r;
            }
        }
        if (max == 0 || Double.isInfinite(max) || Double.isNaN(max)) return;
        double scale = g / (2 * tau);
        if (p == Double.POSITIVE_INFINITY) {
            out[outOff + arg] += scale * 2 * max * Math.signum(x[off + arg]);
            return;
        }
        if (p == 2.0) {
            for (int r = 0; r < n; r++) out[outOff + r] += scale * 2 * x[off + r];
            return;
        }
        double s = 0;
        for (int r = 0; r < n; r++) s += Math.pow(Math.abs(x[off + r]) / max, p);
        double common = 2 * max * Math.pow(s, 2.0 / p - 1);
        for (int r = 0; r < n; r++) {
            double v = x[off + r];
            if (v == 0) continue;
            out[outOff + r] += scale * common * Math.pow(Math.abs(v) / max, p - 1) * Math.signum(v);
        }
    }
}
