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

    /** kappa = (phi_a . phi_b / (4M))^2, in [0, 1]. */
    static double spectralKernel(double[] phiA, int aOff, double[] phiB, int bOff, int m) {
        double dot = 0;
        for (int t = 0; t < 2 * m; t++) dot += phiA[aOff + t] * phiB[bOff + t];
        double s = dot / (4.0 * m);
        return s * s;
    }

    /** logit = log(kappa + eps) + I(q) + I(k). */
    static double ikaLogit(double kappa, double eps, double importanceQ, double importanceK) {
        return Math.log(kappa + eps) + importanceQ + importanceK;
    }
}
