/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.Neighbourhood;
import java.util.SplittableRandom;

/**
 * Attention through an ika4j backend's training path ({@code backend.training()}), in float32 as
 * the backends compute: each forward is a recorded forward, so the backward reuses what it kept.
 */
public final class BackendAttentionOp implements AttentionOp {
    private final AttentionTraining training;
    private final KernelSpec spec;
    private final SplittableRandom rng;
    private final Neighbourhood neighbourhood;
    private Tensor q;
    private AttentionTraining.Recording recording;
    private double regularizer;

    public BackendAttentionOp(AttentionTraining training, KernelSpec spec, SplittableRandom rng) {
        this(training, spec, rng, null);
    }

    /** Attention restricted to a neighbourhood (each query sees the keys it lists), or dense for null. */
    public BackendAttentionOp(AttentionTraining training, KernelSpec spec, SplittableRandom rng, Neighbourhood neighbourhood) {
        this.training = training;
        this.spec = spec;
        this.rng = rng;
        this.neighbourhood = neighbourhood;
    }

    @Override
    public double[] forward(double[] q, double[] k, double[] v, int seq, int heads, int dim, boolean training) {
        this.q = packed(q, seq, heads, dim);
        AttentionOptions options = AttentionOptions.builder().kernel(spec.build(training, rng)).neighbourhood(neighbourhood)
                .build();
        recording = this.training.record(this.q, packed(k, seq, heads, dim), packed(v, seq, heads, dim), options);
        AttentionResult r = recording.result();
        regularizer = r.regularizer();
        return widenPacked(r.output());
    }

    @Override
    public double regularizer() {
        return regularizer;
    }

    @Override
    public double[][] backward(double[] dOut, double dRegularizer) {
        Tensor d = packed(dOut, q.seq(), q.heads(), q.dim());
        AttentionGradients g = training.backward(recording, d, dRegularizer);
        spec.accumulate(g.dKernel());
        return new double[][] {widenPacked(g.dQ()), widenPacked(g.dK()), widenPacked(g.dV())};
    }

    static Tensor packed(double[] a, int seq, int heads, int dim) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return Tensor.bshd(f, 1, seq, heads, dim);
    }

    /** A [1, heads, seq, dim] tensor's values in packed [seq][heads][dim] order. */
    static double[] widenPacked(Tensor t) {
        double[] out = new double[(int) t.size()];
        float[] row = new float[t.dim()];
        for (int s = 0; s < t.seq(); s++)
            for (int h = 0; h < t.heads(); h++) {
                t.readRow(0, h, s, row, 0);
                for (int c = 0; c < t.dim(); c++) out[(s * t.heads() + h) * t.dim() + c] = row[c];
            }
        return out;
    }
}
