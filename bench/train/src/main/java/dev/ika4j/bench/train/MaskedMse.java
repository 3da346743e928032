/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

/**
 * The authors' {@code mse_loss}: sum over rows of mask * (prediction - target)^2 / sum(mask), with
 * a 0/1 mask picking the rows the loss covers.
 */
public final class MaskedMse {
    private MaskedMse() {}

    public static double loss(double[] prediction, double[] target, boolean[] mask) {
        check(prediction, target, mask);
        double s = 0;
        int n = 0;
        for (int i = 0; i < prediction.length; i++) {
            if (!mask[i]) continue;
            double e = prediction[i] - target[i];
            s += e * e;
            n++;
        }
        if (n == 0) throw new IllegalArgumentException("mask selects no rows");
        return s / n;
    }

    /** d loss / d prediction: 2 (prediction - target) / sum(mask) on masked rows, 0 elsewhere. */
    public static double[] gradient(double[] prediction, double[] target, boolean[] mask) {
        check(prediction, target, mask);
        int n = count(mask);
        if (n == 0) throw new IllegalArgumentException("mask selects no rows");
        double[] g = new double[prediction.length];
        for (int i = 0; i < g.length; i++) if (mask[i]) g[i] = 2 * (prediction[i] - target[i]) / n;
        return g;
    }

    public static int count(boolean[] mask) {
        int n = 0;
        for (boolean m : mask) if (m) n++;
        return n;
    }

    private static void check(double[] prediction, double[] target, boolean[] mask) {
        if (prediction.length != target.length || mask.length != target.length) {
            throw new IllegalArgumentException("prediction (" + prediction.length + "), target (" + target.length
                    + ") and mask (" + mask.length + ") must have the same length");
        }
    }
}
