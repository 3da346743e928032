/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.Tensor;
import java.util.SplittableRandom;

/**
 * The inputs every implementation of one benchmark configuration sees: Q, K and V as contiguous
 * [batch, heads, seq, dim] arrays drawn from a seed that depends only on the shape, so backends and
 * peers measured in different forks still compute on identical numbers.
 */
public final class Problem {
    public final Shape shape;
    public final boolean causal;
    public final float[] q, k, v;

    private Problem(Shape shape, boolean causal) {
        this.shape = shape;
        this.causal = causal;
        SplittableRandom rnd = new SplittableRandom(0x1CA4L * 31 + shape.toString().hashCode());
        this.q = uniform(rnd, shape.elements(), 2);
        this.k = uniform(rnd, shape.kvElements(), 2);
        this.v = uniform(rnd, shape.kvElements(), 1);
    }

    public static Problem create(String shape, boolean causal) {
        return new Problem(Shape.parse(shape), causal);
    }

    /**
     * Uniform in [-bound, bound). Q and K take bound 2, which gives standard logits q.k/sqrt(d) a
     * standard deviation of about 1.3: a softmax that is neither flat (where any kernel's output
     * would be close to the mean of V, and a wrong one could pass the check) nor one-hot.
     */
    private static float[] uniform(SplittableRandom rnd, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return a;
    }

    public Tensor qTensor() { return Tensor.bhsd(q, shape.batch(), shape.heads(), shape.seq(), shape.dim()); }
    public Tensor kTensor() { return kvTensor(k); }
    public Tensor vTensor() { return kvTensor(v); }

    private Tensor kvTensor(float[] data) {
        return Tensor.bhsd(data, shape.batch(), shape.kvHeads(), shape.kvSeq(), shape.dim());
    }

    /** The default softmax scale, 1/sqrt(head dim), as every implementation here uses it. */
    public float scale() {
        return (float) (1.0 / Math.sqrt(shape.dim()));
    }

    /** Offset of row (b, h, s) in the contiguous arrays of Q and the output. */
    public int offset(int b, int h, int s) {
        return ((b * shape.heads() + h) * shape.seq() + s) * shape.dim();
    }

    /** Offset of key/value row (b, kvHead, j) in the contiguous arrays of K and V. */
    public int kvOffset(int b, int kvHead, int j) {
        return ((b * shape.kvHeads() + kvHead) * shape.kvSeq() + j) * shape.dim();
    }

    /**
     * A shorter problem, same batch, heads, head dim and masking (kernel parameters are sized by
     * heads and batch), for warming the JIT cheaply.
     */
    public Problem small() {
        int seq = Math.min(shape.seq(), 256), kvSeq = shape.kvSeq() == shape.seq() ? seq : Math.min(shape.kvSeq(), 1024);
        return new Problem(new Shape(shape.batch(), shape.heads(), shape.kvHeads(), seq, kvSeq, shape.dim()), causal);
    }
}
