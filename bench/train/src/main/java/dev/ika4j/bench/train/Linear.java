/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.List;
import java.util.SplittableRandom;

/** y = x W^T + b, with W [out, in] and b [out] as in {@code torch.nn.Linear}, initialised like it. */
public final class Linear implements Layer {
    public final int in, out;
    public final Param weight, bias;
    private double[] x;
    private int rows;

    public Linear(String name, int in, int out, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.weight = new Param(name + ".weight", out, in);
        this.bias = new Param(name + ".bias", out);
        Init.kaimingUniform(weight, rng);
        Init.uniform(bias.value, 1.0 / Math.sqrt(in), rng);
    }

    @Override
    public double[] forward(double[] x, int rows) {
        if (x.length != rows * in) {
            throw new IllegalArgumentException(weight.name + ": input has " + x.length + " values, expected rows "
                    + rows + " x in " + in);
        }
        this.x = x;
        this.rows = rows;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) System.arraycopy(bias.value, 0, y, r * out, out);
        Dense.mulAdd(x, Dense.transpose(weight.value, out, in), y, rows, in, out);
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dx = new double[rows * in];
        Dense.mulAdd(dy, weight.value, dx, rows, out, in);
        Dense.mulAddTransA(dy, x, weight.grad, rows, out, in);
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < out; o++) bias.grad[o] += dy[r * out + o];
        return dx;
    }

    @Override
    public List<Param> parameters() {
        return List.of(weight, bias);
    }
}
