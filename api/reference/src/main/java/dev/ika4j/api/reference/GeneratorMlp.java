/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.Map;

/**
 * Section 4's generator on one noise column z (d values): omega = sign(z) (W3^T h2 + b3) with
 * h2 = LReLU(W2^T h1 + b2), h1 = LReLU(W1^T |z| + b1), and its backward pass, one column at a
 * time (forward values recomputed), with the weights w1 [d, n1], b1 [n1], w2 [n1, n2], b2 [n2],
 * w3 [n2, d], b3 [d] read by name ("g1.w1" ...) from a parameter map.
 */
final class GeneratorMlp {
    private final String prefix;
    private final double[] w1, b1, w2, b2, w3, b3;
    private final int d, n1, n2;

    GeneratorMlp(String prefix, Map<String, double[]> values, int d) {
        this.prefix = prefix;
        this.d = d;
        this.b1 = values.get(prefix + ".b1");
        this.b2 = values.get(prefix + ".b2");
        this.n1 = b1.length;
        this.n2 = b2.length;
        this.w1 = Parameters.sized(values, prefix + ".w1", d * n1);
        this.w2 = Parameters.sized(values, prefix + ".w2", n1 * n2);
        this.w3 = Parameters.sized(values, prefix + ".w3", n2 * d);
        this.b3 = Parameters.sized(values, prefix + ".b3", d);
    }

    private static double lrelu(double v) {
        return v >= 0 ? v : SpectralGenerator.SLOPE * v;
    }

    private static double lreluSlope(double v) {
        return v >= 0 ? 1 : SpectralGenerator.SLOPE;
    }

    /** The generator's output for column z. */
    double[] apply(double[] z) {
        double[] h1 = new double[n1], h2 = new double[n2], out = new double[d];
        hidden(z, new double[n1], h1, new double[n2], h2);
        for (int r = 0; r < d; r++) {
            double s = b3[r];
            for (int k = 0; k < n2; k++) s += w3[k * d + r] * h2[k];
            out[r] = Math.signum(z[r]) * s;
        }
        return out;
    }

    private void hidden(double[] z, double[] pre1, double[] h1, double[] pre2, double[] h2) {
        for (int l = 0; l < n1; l++) {
            double s = b1[l];
            for (int r = 0; r < d; r++) s += w1[r * n1 + l] * Math.abs(z[r]);
            pre1[l] = s;
            h1[l] = lrelu(s);
        }
        for (int l = 0; l < n2; l++) {
            double s = b2[l];
            for (int k = 0; k < n1; k++) s += w2[k * n2 + l] * h1[k];
            pre2[l] = s;
            h2[l] = lrelu(s);
        }
    }

    /**
     * Adds the gradient of {@code <dOmega, apply(z)>} to the weights' entries of {@code grads} and
     * returns its gradient with respect to z (sign(z) is constant where it has a derivative).
     */
    double[] backward(double[] z, double[] dOmega, Map<String, double[]> grads) {
        double[] pre1 = new double[n1], h1 = new double[n1], pre2 = new double[n2], h2 = new double[n2];
        hidden(z, pre1, h1, pre2, h2);
        double[] gw1 = grads.get(prefix + ".w1"), gb1 = grads.get(prefix + ".b1"), gw2 = grads.get(prefix + ".w2");
        double[] gb2 = grads.get(prefix + ".b2"), gw3 = grads.get(prefix + ".w3"), gb3 = grads.get(prefix + ".b3");
        double[] g3 = new double[d];
        for (int r = 0; r < d; r++) {
            g3[r] = Math.signum(z[r]) * dOmega[r];
            gb3[r] += g3[r];
        }
        double[] g2 = new double[n2];
        for (int k = 0; k < n2; k++) {
            double back = 0;
            for (int r = 0; r < d; r++) {
                gw3[k * d + r] += h2[k] * g3[r];
                back += w3[k * d + r] * g3[r];
            }
            g2[k] = back * lreluSlope(pre2[k]);
            gb2[k] += g2[k];
        }
        double[] g1 = new double[n1];
        for (int k = 0; k < n1; k++) {
            double back = 0;
            for (int l = 0; l < n2; l++) {
                gw2[k * n2 + l] += h1[k] * g2[l];
                back += w2[k * n2 + l] * g2[l];
            }
            g1[k] = back * lreluSlope(pre1[k]);
            gb1[k] += g1[k];
        }
        double[] dz = new double[d];
        for (int r = 0; r < d; r++) {
            double back = 0;
            for (int l = 0; l < n1; l++) {
                gw1[r * n1 + l] += Math.abs(z[r]) * g1[l];
                back += w1[r * n1 + l] * g1[l];
            }
            dz[r] = Math.signum(z[r]) * back;
        }
        return dz;
    }
}
