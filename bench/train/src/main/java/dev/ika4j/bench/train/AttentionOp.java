/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

/**
 * One self-attention call inside a model, on packed [seq][heads * dim] activations (the layout
 * the Q/K/V projections produce), with its backward.
 */
public interface AttentionOp {
    /** Output [seq][heads * dim]; keeps what {@link #backward} needs. */
    double[] forward(double[] q, double[] k, double[] v, int seq, int heads, int dim, boolean training);

    /** The kernel's regulariser of the last forward (0 for kernels without one). */
    double regularizer();

    /**
     * Gradients of {@code <dOut, out> + dRegularizer * regularizer} of the last forward: returns
     * {dq, dk, dv} packed like the inputs and adds the kernel's parameter gradients to them.
     */
    double[][] backward(double[] dOut, double dRegularizer);

    /** Packed [seq][heads][dim] to [heads][seq][dim]. */
    static double[] unpack(double[] a, int seq, int heads, int dim) {
        double[] out = new double[a.length];
        for (int s = 0; s < seq; s++)
            for (int h = 0; h < heads; h++)
                System.arraycopy(a, (s * heads + h) * dim, out, (h * seq + s) * dim, dim);
        return out;
    }

    /** [heads][seq][dim] to packed [seq][heads][dim]. */
    static double[] pack(double[] a, int seq, int heads, int dim) {
        double[] out = new double[a.length];
        for (int s = 0; s < seq; s++)
            for (int h = 0; h < heads; h++)
                System.arraycopy(a, (h * seq + s) * dim, out, (s * heads + h) * dim, dim);
        return out;
    }
}
