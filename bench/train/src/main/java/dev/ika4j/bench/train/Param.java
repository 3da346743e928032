/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.Arrays;

/**
 * A learned tensor: its values, the gradient accumulated since the last {@link #zeroGrad()}, and
 * Adam's two moment estimates. Flat float64, row-major in {@link #shape}.
 */
public final class Param {
    public final String name;
    public final int[] shape;
    public final double[] value;
    public final double[] grad;
    final double[] adamM;
    final double[] adamV;

    public Param(String name, int... shape) {
        int n = 1;
        for (int s : shape) {
            if (s < 1) throw new IllegalArgumentException("parameter " + name + ": shape " + Arrays.toString(shape)
                    + " has a dimension < 1");
            n *= s;
        }
        this.name = name;
        this.shape = shape.clone();
        this.value = new double[n];
        this.grad = new double[n];
        this.adamM = new double[n];
        this.adamV = new double[n];
    }

    public int size() {
        return value.length;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0.0);
    }

    /** Adds {@code g} to the gradient; its length must match. */
    public void accumulate(double[] g) {
        if (g.length != grad.length) {
            throw new IllegalArgumentException("gradient for " + name + " has " + g.length + " values, the parameter "
                    + Arrays.toString(shape) + " has " + grad.length);
        }
        for (int i = 0; i < g.length; i++) grad[i] += g[i];
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
