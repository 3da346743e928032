/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.nn.LayerNorm(width)}: per row, y = gamma * (x - mean) / sqrt(var + eps) + beta with
 * the biased variance, eps = 1e-5, gamma = 1 and beta = 0 at the start.
 */
public final class LayerNorm implements Layer {
    public static final double EPS = 1e-5;
    public final int width;
    public final Param gamma, beta;
    private double[] xhat, invStd;
    private int rows;

    public LayerNorm(String name, int width) {
        this.width = width;
        this.gamma = new Param(name + ".weight", width);
        this.beta = new Param(name + ".bias", width);
        Arrays.fill(gamma.value, 1.0);
    }

    @Override
    public double[] forward(double[] x, int rows) {
        this.rows = rows;
        xhat = new double[rows * width];
        invStd = new double[rows];
        double[] y = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double mean = 0;
            for (int c = 0; c < width; c++) mean += x[o + c];
            mean /= width;
            double var = 0;
            for (int c = 0; c < width; c++) var += (x[o + c] - mean) * (x[o + c] - mean);
            var /= width;
            invStd[r] = 1.0 / Math.sqrt(var + EPS);
            for (int c = 0; c < width; c++) {
                xhat[o + c] = (x[o + c] - mean) * invStd[r];
                y[o + c] = gamma.value[c] * xhat[o + c] + beta.value[c];
            }
        }
        return y;
    }

    /** dx = invStd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma. */
    @Override
    public double[] backward(double[] dy) {
        double[] dx = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double meanG = 0, meanGx = 0;
            for (int c = 0; c < width; c++) {
                double g = dy[o + c] * gamma.value[c];
                meanG += g;
                meanGx += g * xhat[o + c];
                gamma.grad[c] += dy[o + c] * xhat[o + c];
                beta.grad[c] += dy[o + c];
            }
            meanG /= width;
            meanGx /= width;
            for (int c = 0; c < width; c++) {
                double g = dy[o + c] * gamma.value[c];
                dx[o + c] = invStd[r] * (g - meanG - xhat[o + c] * meanGx);
            }
        }
        return dx;
    }

    @Override
    public List<Param> parameters() {
        return List.of(gamma, beta);
    }
}
