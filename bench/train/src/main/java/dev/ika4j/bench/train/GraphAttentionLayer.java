/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One graph attention layer as in GAT (Velickovic et al. 2018): h = x W^T + b, projected once and
 * used as query, key and value (q = k = v = h, so only the kernel's score decides the weights),
 * each node attending over the neighbourhood the operator was built with; heads concatenated
 * ([rows][heads * dim]) or averaged ([rows][dim], GAT's output layer).
 */
public final class GraphAttentionLayer implements Layer {
    public final int heads, dim;
    private final boolean concat;
    private final Linear projection;
    private final KernelSpec kernel;
    private final AttentionOp op;
    private boolean training = true;
    private int rows;

    public GraphAttentionLayer(String name, int in, int heads, int dim, boolean concat, KernelSpec kernel, AttentionOp op,
                               SplittableRandom rng) {
        if (heads < 1 || dim < 1) throw new IllegalArgumentException(name + ": heads " + heads + " and dim " + dim + " must be >= 1");
        this.heads = heads;
        this.dim = dim;
        this.concat = concat;
        this.kernel = kernel;
        this.op = op;
        projection = new Linear(name + ".lin", in, heads * dim, rng);
    }

    /** Training mode draws the kernel's noise and turns on its training-only behaviour. */
    public void training(boolean on) {
        training = on;
    }

    /** Width of the output per row. */
    public int outputs() {
        return concat ? heads * dim : dim;
    }

    @Override
    public double[] forward(double[] x, int rows) {
        this.rows = rows;
        double[] h = projection.forward(x, rows);
        double[] a = op.forward(h, h, h, rows, heads, dim, training);
        if (concat) return a;
        double[] mean = new double[rows * dim];
        for (int r = 0; r < rows; r++)
            for (int hd = 0; hd < heads; hd++)
                for (int c = 0; c < dim; c++) mean[r * dim + c] += a[(r * heads + hd) * dim + c] / heads;
        return mean;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] da = dy;
        if (!concat) {
            da = new double[rows * heads * dim];
            for (int r = 0; r < rows; r++)
                for (int hd = 0; hd < heads; hd++)
                    for (int c = 0; c < dim; c++) da[(r * heads + hd) * dim + c] = dy[r * dim + c] / heads;
        }
        double[][] g = op.backward(da, 0.0);
        double[] dh = g[0].clone();
        for (int i = 0; i < dh.length; i++) dh[i] += g[1][i] + g[2][i];
        return projection.backward(dh);
    }

    @Override
    public List<Param> parameters() {
        List<Param> p = new ArrayList<>(kernel.parameters());
        p.addAll(projection.parameters());
        return p;
    }
}
