/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The authors' position-wise feed-forward block (their {@code PositionwiseFeedforwardLayer}):
 * relu(fc2(relu(fc1(x)))), both Linear width x width. The ReLU after fc2 is theirs, kept for
 * fidelity.
 */
public final class FeedForward implements Layer {
    private final Linear fc1, fc2;
    private double[] h1, y;

    public FeedForward(String name, int width, int hidden, SplittableRandom rng) {
        fc1 = new Linear(name + ".fc_1", width, hidden, rng);
        fc2 = new Linear(name + ".fc_2", hidden, width, rng);
    }

    @Override
    public double[] forward(double[] x, int rows) {
        h1 = relu(fc1.forward(x, rows));
        y = relu(fc2.forward(h1, rows));
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] d = reluBackward(dy, y);
        d = fc2.backward(d);
        return fc1.backward(reluBackward(d, h1));
    }

    static double[] relu(double[] a) {
        for (int i = 0; i < a.length; i++) if (a[i] < 0) a[i] = 0;
        return a;
    }

    /** The gradient through a ReLU whose output was {@code y}: passes where y > 0. */
    static double[] reluBackward(double[] dy, double[] y) {
        double[] d = new double[dy.length];
        for (int i = 0; i < d.length; i++) d[i] = y[i] > 0 ? dy[i] : 0;
        return d;
    }

    @Override
    public List<Param> parameters() {
        List<Param> p = new ArrayList<>(fc1.parameters());
        p.addAll(fc2.parameters());
        return p;
    }
}
