/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

/**
 * Softmax cross-entropy over the nodes a mask selects, averaged over them, on [rows][classes]
 * logits; and the accuracy of the arg-max class.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Mean of -log softmax(logits_i)[label_i] over the selected rows. */
    public static double loss(double[] logits, int[] labels, boolean[] mask, int classes) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!mask[i]) continue;
            sum += logSumExp(logits, i * classes, classes) - logits[i * classes + labels[i]];
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** d loss / d logits: (softmax - one-hot) / n on the selected rows, zero elsewhere. */
    public static double[] gradient(double[] logits, int[] labels, boolean[] mask, int classes) {
        int n = MaskedMse.count(mask);
        double[] g = new double[logits.length];
        for (int i = 0; i < labels.length; i++) {
            if (!mask[i]) continue;
            double lse = logSumExp(logits, i * classes, classes);
            for (int c = 0; c < classes; c++) g[i * classes + c] = Math.exp(logits[i * classes + c] - lse) / n;
            g[i * classes + labels[i]] -= 1.0 / n;
        }
        return g;
    }

    /** Share of the selected rows whose largest logit is their label's (the first of a tie). */
    public static double accuracy(double[] logits, int[] labels, boolean[] mask, int classes) {
        int right = 0, n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!mask[i]) continue;
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
            if (best == labels[i]) right++;
            n++;
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    private static double logSumExp(double[] a, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) max = Math.max(max, a[off + c]);
        double s = 0;
        for (int c = 0; c < n; c++) s += Math.exp(a[off + c] - max);
        return max + Math.log(s);
    }
}
