/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-head self-attention as in the authors' {@code MultiHeadAttentionLayer}: Q, K, V = x W^T + b
 * (width x width each), split into heads of width / heads, attention with any ika4j kernel, heads
 * concatenated, then an output Linear.
 */
public final class MultiHeadAttention implements Layer {
    public final int width, heads;
    private final Linear fcQ, fcK, fcV, fcO;
    private final AttentionOp op;
    private final KernelSpec kernel;
    private int rows;
    private boolean training = true;
    private double regularizerWeight;

    public MultiHeadAttention(String name, int width, int heads, KernelSpec kernel, AttentionOp op, SplittableRandom rng) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " must be a positive multiple of heads " + heads);
        }
        this.width = width;
        this.heads = heads;
        this.kernel = kernel;
        this.op = op;
        fcQ = new Linear(name + ".fc_q", width, width, rng);
        fcK = new Linear(name + ".fc_k", width, width, rng);
        fcV = new Linear(name + ".fc_v", width, width, rng);
        fcO = new Linear(name + ".fc_o", width, width, rng);
    }

    /** Training mode draws noise and turns on training-only behaviour of the kernel. */
    public void training(boolean on) {
        training = on;
    }

    /** The weight the loss gives the kernel's regulariser; its gradient flows in the next backward. */
    public void regularizerWeight(double w) {
        regularizerWeight = w;
    }

    /** The kernel's regulariser of the last forward. */
    public double regularizer() {
        return op.regularizer();
    }

    @Override
    public double[] forward(double[] x, int rows) {
        this.rows = rows;
        double[] q = fcQ.forward(x, rows), k = fcK.forward(x, rows), v = fcV.forward(x, rows);
        double[] a = op.forward(q, k, v, rows, heads, width / heads, training);
        return fcO.forward(a, rows);
    }

    @Override
    public double[] backward(double[] dy) {
        double[] da = fcO.backward(dy);
        double[][] g = op.backward(da, regularizerWeight);
        double[] dx = fcQ.backward(g[0]);
        double[] dk = fcK.backward(g[1]), dv = fcV.backward(g[2]);
        for (int i = 0; i < dx.length; i++) dx[i] += dk[i] + dv[i];
        return dx;
    }

    @Override
    public List<Param> parameters() {
        List<Param> p = new ArrayList<>(kernel.parameters());
        for (Linear l : List.of(fcQ, fcK, fcV, fcO)) p.addAll(l.parameters());
        return p;
    }

    int rows() {
        return rows;
    }
}
