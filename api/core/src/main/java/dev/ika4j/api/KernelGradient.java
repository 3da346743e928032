/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The gradient of a kernel's learned parameters, typed by kernel: each case holds, in the types
 * and shapes of the kernel's own parameters, d loss / d parameter. A {@code switch} over it names
 * every kernel that learns something:
 *
 * <pre>{@code
 * switch (gradients.dKernel()) {
 *     case KernelGradient.None n -> { }                                  // standard, rbf-importance
 *     case KernelGradient.Direct d -> step(w1, d.w1()); step(w2, d.w2()); // ika-direct
 *     case KernelGradient.Generator g -> ...                             // ika-generator: g.g1(), g.g2()
 *     case KernelGradient.Copula c -> ...                                // copula: c.net(), c.g1(), c.g2()
 * }
 * }</pre>
 *
 * Noise is not a parameter: the gradient flows through what the noise is mapped by, never the draw.
 */
public sealed interface KernelGradient {
    /** Every tensor of the gradient, in the order of the kernel's record components (nets first). */
    List<ParamTensor> tensors();

    /** The gradient of a kernel without learned parameters (standard, rbf-importance). */
    None NONE = new None();

    /** No learned parameters. */
    record None() implements KernelGradient {
        @Override
        public List<ParamTensor> tensors() {
            return List.of();
        }
    }

    /**
     * IKA-direct's W1 and W2, each [d, heads, M] like the kernel's.
     */
    record Direct(ParamTensor w1, ParamTensor w2) implements KernelGradient {
        public Direct {
            Objects.requireNonNull(w1, "w1");
            Objects.requireNonNull(w2, "w2");
        }

        @Override
        public List<ParamTensor> tensors() {
            return List.of(w1, w2);
        }
    }

    /** GAT's attention vectors, each [heads, d] like the kernel's. */
    record Gat(ParamTensor aSrc, ParamTensor aDst) implements KernelGradient {
        public Gat {
            Objects.requireNonNull(aSrc, "aSrc");
            Objects.requireNonNull(aDst, "aDst");
        }

        @Override
        public List<ParamTensor> tensors() {
            return List.of(aSrc, aDst);
        }
    }

    /** The implicit generators' weights: each field shaped like the kernel's generator. */
    record Generator(SpectralGenerator g1, SpectralGenerator g2) implements KernelGradient {
        public Generator {
            Objects.requireNonNull(g1, "g1");
            Objects.requireNonNull(g2, "g2");
        }

        @Override
        public List<ParamTensor> tensors() {
            List<ParamTensor> out = new ArrayList<>(generator(g1));
            out.addAll(generator(g2));
            return List.copyOf(out);
        }
    }

    /** The copula net's and both generators' weights, shaped like the kernel's. */
    record Copula(CopulaNet net, SpectralGenerator g1, SpectralGenerator g2) implements KernelGradient {
        public Copula {
            Objects.requireNonNull(net, "net");
            Objects.requireNonNull(g1, "g1");
            Objects.requireNonNull(g2, "g2");
        }

        @Override
        public List<ParamTensor> tensors() {
            List<ParamTensor> out = new ArrayList<>(List.of(net.w1(), net.b1(), net.w2(), net.b2(), net.w3(), net.b3(),
                    net.c(), net.cb()));
            out.addAll(generator(g1));
            out.addAll(generator(g2));
            return List.copyOf(out);
        }
    }

    private static List<ParamTensor> generator(SpectralGenerator g) {
        return List.of(g.w1(), g.b1(), g.w2(), g.b2(), g.w3(), g.b3());
    }
}
