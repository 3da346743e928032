/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.KernelGradient;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.ParamTensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A learnable attention kernel inside a model: the parameters it owns, and how to build the
 * immutable {@link AttentionKernel} of one call from their current values (drawing fresh noise
 * for kernels that sample).
 */
public interface KernelSpec {
    /** Short name for logs and reports. */
    String name();

    /** The parameters the kernel learns, under the names its gradients are reported by. */
    List<Param> parameters();

    /**
     * The kernel for one call with the parameters' current values.
     *
     * @param training whether this is a training step (noise drawn, training-only behaviour on)
     * @param rng      the source of any noise drawn
     */
    AttentionKernel build(boolean training, SplittableRandom rng);

    /** The parameter a gradient name of the float64 oracle belongs to. */
    default Param parameter(String gradientName) {
        for (Param p : parameters()) if (p.name.equals(gradientName)) return p;
        throw new IllegalArgumentException("kernel " + name() + " has no parameter '" + gradientName + "'; it has "
                + parameters());
    }

    /** Adds the float64 oracle's parameter gradients, by the names of {@link #parameters()}. */
    default void accumulate(Map<String, double[]> gradients) {
        gradients.forEach((n, g) -> parameter(n).accumulate(g));
    }

    /**
     * Adds a backward pass's typed parameter gradient: its {@link KernelGradient#tensors()} come in
     * the order of {@link #parameters()}.
     */
    default void accumulate(KernelGradient gradient) {
        List<ParamTensor> g = gradient.tensors();
        List<Param> params = parameters();
        if (g.size() != params.size()) {
            throw new IllegalArgumentException("kernel " + name() + " has " + params.size() + " parameters but the gradient "
                    + gradient.getClass().getSimpleName() + " has " + g.size() + " tensors");
        }
        for (int i = 0; i < g.size(); i++) params.get(i).accumulate(g.get(i).toArray());
    }

    /** The standard dot-product kernel: nothing to learn. */
    static KernelSpec standard() {
        return new KernelSpec() {
            @Override public String name() { return "standard"; }
            @Override public List<Param> parameters() { return List.of(); }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) { return AttentionKernel.standard(); }
        };
    }
}
