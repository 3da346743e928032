/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

/**
 * The log-kernels of sections 2 and 3 as float64 functions on flat C-order arrays (the importance
 * is {@link LpImportance}; W comes from {@link SpectralW}). Spectral points W are laid out
 * [d, heads, M] ({@code (r * heads + h) * M + s}).
 */
final class Formulas {
    private Formulas() {}

    /** The RBF log-kernel -|q - k|^2 / (2 tau). */
    static double rbfLogKernel(double[] q, int qOff, double[] k, int kOff, int d, double tau) {
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

    /**
     * The 2M projections of row x for head h: a_s = c (W1^T x)_s for s &lt; M, then b_s = c (W2^T x)_s;
     * spectral points W laid out [d, heads, M] from {@code wOff}.
     */
    static void projections(double[] x, int xOff, int d, double[] w1, double[] w2, int wOff, int heads, int h, int m, double c,
                            double[] out, int outOff) {
        for (int s = 0; s < m; s++) {
            double a = 0, b = 0;
            for (int r = 0; r < d; r++) {
                a += x[xOff + r] * w1[wOff + (r * heads + h) * m + s];
                b += x[xOff + r] * w2[wOff + (r * heads + h) * m + s];
            }
            out[outOff + s] = c * a;
            out[outOff + m + s] = c * b;
        }
    }

    /**
     * kappa(q, k) = G^2 in the shift-invariant form of section 3: G is the mean over the M spectral
     * pairs (omega1, omega2) of cos(omega_u . c(q - k)) for u, v in {1, 2} (the cross terms of the
     * pair included), G = (1/4M) sum_s sum_{u,v} cos(a_u,s(q) - a_v,s(k)), from the projections of
     * {@link #projections}. Equal to (phi(q) . phi(k) / 4M)^2 (cos x cos y + sin x sin y =
     * cos(x - y)), which is what the backends compute; the two forms check each other.
     */
    static double shiftInvariantKernel(double[] pq, int qOff, double[] pk, int kOff, int m) {
        double sum = 0;
        for (int s = 0; s < m; s++) {
            double aq = pq[qOff + s], bq = pq[qOff + m + s], ak = pk[kOff + s], bk = pk[kOff + m + s];
            sum += cosOfDifference(aq, ak) + cosOfDifference(aq, bk) + cosOfDifference(bq, ak) + cosOfDifference(bq, bk);
        }
        double g = sum / (4.0 * m);
        return g * g;
    }

    /**
     * cos(x - y) of the exact difference: at phases of 1e12 the rounded x - y is off by up to
     * ulp(1e12) ~ 1e-4 rad, so its rounding error e (two-sum) enters as
     * cos(d + e) = cos d (1 - e^2/2) - sin d e, with |e| &lt;= ulp(d) / 2.
     */
    static double cosOfDifference(double x, double y) {
        double d = x - y, back = d - x, e = (x - (d - back)) + (-y - back);
        return e == 0 ? Math.cos(d) : Math.cos(d) * (1 - e * e / 2) - Math.sin(d) * e;
    }

    /** logit = log(kappa + eps) + I(q) + I(k). */
    static double ikaLogit(double kappa, double eps, double importanceQ, double importanceK) {
        return Math.log(kappa + eps) + importanceQ + importanceK;
    }
}
