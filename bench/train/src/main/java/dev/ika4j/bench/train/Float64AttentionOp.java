/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.reference.ReferenceBackward;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Attention through {@link ReferenceBackward}, float64 end to end (the kernel's parameters too),
 * so that a whole model can be checked against finite differences. Slow; for tests.
 */
public final class Float64AttentionOp implements AttentionOp {
    private final KernelSpec spec;
    private final SplittableRandom rng;
    private final Long repeatSeed;
    private AttentionProblem problem;
    private ReferenceBackward.Values values;
    private double regularizer;
    private int seq, heads, dim;

    public Float64AttentionOp(KernelSpec spec, SplittableRandom rng) {
        this.spec = spec;
        this.rng = rng;
        this.repeatSeed = null;
    }

    private Float64AttentionOp(KernelSpec spec, long seed) {
        this.spec = spec;
        this.rng = null;
        this.repeatSeed = seed;
    }

    /**
     * An operator whose every forward draws the same noise (a fresh generator from {@code seed}):
     * the model is then a fixed function of its parameters, as finite differences need.
     */
    public static Float64AttentionOp withRepeatedNoise(KernelSpec spec, long seed) {
        return new Float64AttentionOp(spec, seed);
    }

    @Override
    public double[] forward(double[] q, double[] k, double[] v, int seq, int heads, int dim, boolean training) {
        this.seq = seq;
        this.heads = heads;
        this.dim = dim;
        AttentionKernel kernel = spec.build(training, repeatSeed != null ? new SplittableRandom(repeatSeed) : rng);
        Tensor shape = Tensor.zerosBhsd(1, heads, seq, dim);
        problem = AttentionProblem.of(shape, shape, shape, AttentionOptions.builder().kernel(kernel).build());
        Map<String, double[]> params = new LinkedHashMap<>();
        for (Param p : spec.parameters()) params.put(p.name, p.value.clone());
        values = new ReferenceBackward.Values(AttentionOp.unpack(q, seq, heads, dim), AttentionOp.unpack(k, seq, heads, dim),
                AttentionOp.unpack(v, seq, heads, dim), params);
        ReferenceBackward.Forward f = ReferenceBackward.forward(problem, values);
        regularizer = f.regularizer();
        return AttentionOp.pack(f.output(), seq, heads, dim);
    }

    @Override
    public double regularizer() {
        return regularizer;
    }

    @Override
    public double[][] backward(double[] dOut, double dRegularizer) {
        ReferenceBackward.Gradients g = ReferenceBackward.backward(problem, values,
                AttentionOp.unpack(dOut, seq, heads, dim), dRegularizer);
        spec.accumulate(g.parameters());
        return new double[][] {AttentionOp.pack(g.dq(), seq, heads, dim), AttentionOp.pack(g.dk(), seq, heads, dim),
                AttentionOp.pack(g.dv(), seq, heads, dim)};
    }
}
