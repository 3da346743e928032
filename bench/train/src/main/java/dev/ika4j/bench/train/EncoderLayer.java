/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * One post-norm encoder layer, as in the authors' {@code EncoderLayer}:
 * h = LayerNorm(x + Attention(x)), y = LayerNorm(h + FeedForward(h)).
 */
public final class EncoderLayer implements Layer {
    public final MultiHeadAttention attention;
    private final LayerNorm norm1, norm2;
    private final FeedForward feedForward;

    public EncoderLayer(MultiHeadAttention attention, FeedForward feedForward, LayerNorm norm1, LayerNorm norm2) {
        this.attention = attention;
        this.feedForward = feedForward;
        this.norm1 = norm1;
        this.norm2 = norm2;
    }

    @Override
    public double[] forward(double[] x, int rows) {
        double[] h = norm1.forward(add(x, attention.forward(x, rows)), rows);
        return norm2.forward(add(h, feedForward.forward(h, rows)), rows);
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dh = norm2.backward(dy);
        dh = add(dh, feedForward.backward(dh));
        double[] dx = norm1.backward(dh);
        return add(dx, attention.backward(dx));
    }

    static double[] add(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < c.length; i++) c[i] = a[i] + b[i];
        return c;
    }

    @Override
    public List<Param> parameters() {
        List<Param> p = new ArrayList<>(attention.parameters());
        p.addAll(norm1.parameters());
        p.addAll(feedForward.parameters());
        p.addAll(norm2.parameters());
        return p;
    }
}
