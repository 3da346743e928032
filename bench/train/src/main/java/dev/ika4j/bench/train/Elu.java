/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.List;

/** ELU (alpha 1): x for x > 0, exp(x) - 1 otherwise, row-wise; GAT's hidden nonlinearity. */
public final class Elu implements Layer {
    private double[] y;

    @Override
    public double[] forward(double[] x, int rows) {
        y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]);
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dx = new double[dy.length];
        // for x <= 0 the derivative exp(x) is y + 1
        for (int i = 0; i < dy.length; i++) dx[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + 1);
        return dx;
    }

    @Override
    public List<Param> parameters() {
        return List.of();
    }
}
