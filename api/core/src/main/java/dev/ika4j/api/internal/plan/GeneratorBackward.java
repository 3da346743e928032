/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

import java.util.Map;

/**
 * The backward pass of the spectral generator ({@link PaperMath#generate}): per noise column z,
 * h1 = LReLU(W1^T |z| + b1), h2 = LReLU(W2^T h1 + b2), omega = sign(z) (W3^T h2 + b3). The
 * intermediates are recomputed column by column; sign(z) is piecewise constant, so dz = sign(z)
 * times the gradient with respect to |z|.
 */
final class GeneratorBackward {
    private GeneratorBackward() {}

    /**
     * Adds the gradient of {@code <dOmega, generate(prefix.*, z)>} to {@code grads.get(prefix + ".w1")}
     * etc., and to {@code dz} when it is not null.
     *
     * @param values the generator's weights under "prefix.w1" ... "prefix.b3"
     * @param z      noise laid out [outer, d, inner]
     * @param dOmega the gradient of the output, same layout
     */
    static void run(Map<String, double[]> values, Map<String, double[]> grads, String prefix, int d, double[] z, int outer,
                    int inner, double[] dOmega, double[] dz) {
        double[] w1 = values.get(prefix + ".w1"), b1 = values.get(prefix + ".b1"), w2 = values.get(prefix + ".w2");
        double[] b2 = values.get(prefix + ".b2"), w3 = values.get(prefix + ".w3"), b3 = values.get(prefix + ".b3");
        double[] gw1 = grads.get(prefix + ".w1"), gb1 = grads.get(prefix + ".b1"), gw2 = grads.get(prefix + ".w2");
        double[] gb2 = grads.get(prefix + ".b2"), gw3 = grads.get(prefix + ".w3"), gb3 = grads.get(prefix + ".b3");
        int n1 = b1.length, n2 = b2.length;
        double[] col = new double[d], pre1 = new double[n1], h1 = new double[n1], pre2 = new double[n2], h2 = new double[n2];
        double[] dPre3 = new double[d], dPre2 = new double[n2], dPre1 = new double[n1];
        for (int o = 0; o < outer; o++) {
            for (int t = 0; t < inner; t++) {
                boolean any = false;
                for (int r = 0; r < d; r++) {
                    int idx = (o * d + r) * inner + t;
                    col[r] = z[idx];
                    dPre3[r] = Math.signum(col[r]) * dOmega[idx];
                    any |= dPre3[r] != 0;
                }
                if (!any) continue;
                for (int l = 0; l < n1; l++) {
                    double s = b1[l];
                    for (int r = 0; r < d; r++) s += Math.abs(col[r]) * w1[r * n1 + l];
                    pre1[l] = s;
                    h1[l] = PaperMath.leakyRelu(s);
                }
                for (int l = 0; l < n2; l++) {
                    double s = b2[l];
                    for (int k = 0; k < n1; k++) s += h1[k] * w2[k * n2 + l];
                    pre2[l] = s;
                    h2[l] = PaperMath.leakyRelu(s);
                }
                // omega_r = sign(z_r) (b3_r + sum_k h2_k w3[k, r])
                for (int k = 0; k < n2; k++) {
                    double s = 0;
                    for (int r = 0; r < d; r++) {
                        gw3[k * d + r] += h2[k] * dPre3[r];
                        s += w3[k * d + r] * dPre3[r];
                    }
                    dPre2[k] = s * slope(pre2[k]);
                }
                for (int r = 0; r < d; r++) gb3[r] += dPre3[r];
                for (int k = 0; k < n1; k++) {
                    double s = 0;
                    for (int l = 0; l < n2; l++) {
                        gw2[k * n2 + l] += h1[k] * dPre2[l];
                        s += w2[k * n2 + l] * dPre2[l];
                    }
                    dPre1[k] = s * slope(pre1[k]);
                }
                for (int l = 0; l < n2; l++) gb2[l] += dPre2[l];
                for (int r = 0; r < d; r++) {
                    double s = 0;
                    for (int l = 0; l < n1; l++) {
                        gw1[r * n1 + l] += Math.abs(col[r]) * dPre1[l];
                        s += w1[r * n1 + l] * dPre1[l];
                    }
                    if (dz != null) dz[(o * d + r) * inner + t] += Math.signum(col[r]) * s;
                }
                for (int l = 0; l < n1; l++) gb1[l] += dPre1[l];
            }
        }
    }

    /** d LReLU(x) / dx, matching {@link PaperMath#leakyRelu} (slope 1 at 0). */
    static double slope(double x) {
        return x >= 0 ? 1.0 : PaperMath.SLOPE;
    }
}
