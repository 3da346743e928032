/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Inverted dropout as {@code torch.nn.Dropout}: in training each value is zeroed with probability
 * {@code rate} and the rest scaled by 1 / (1 - rate); outside training it passes values unchanged.
 */
public final class Dropout implements Layer {
    private final double rate;
    private final SplittableRandom rng;
    private boolean training = true;
    private double[] scale;

    public Dropout(double rate, SplittableRandom rng) {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        this.rate = rate;
        this.rng = rng;
    }

    public void training(boolean on) {
        training = on;
    }

    @Override
    public double[] forward(double[] x, int rows) {
        if (!training || rate == 0) {
            scale = null;
            return x;
        }
        scale = new double[x.length];
        double keep = 1 / (1 - rate);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            scale[i] = rng.nextDouble() < rate ? 0 : keep;
            y[i] = x[i] * scale[i];
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        if (scale == null) return dy;
        double[] dx = new double[dy.length];
        for (int i = 0; i < dy.length; i++) dx[i] = dy[i] * scale[i];
        return dx;
    }

    @Override
    public List<Param> parameters() {
        return List.of();
    }
}
