/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.KernelGradient;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.kernel.StandardKernel;
import java.util.Map;
import java.util.Objects;

/**
 * What every backend's training path shares: the checks of a record and a backward call, and the
 * typed {@link KernelGradient} built from the flat gradients the kernels accumulate by name.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * The typed gradient of {@code kernel}'s parameters from flat C-order arrays named as the
     * kernels' backward passes name them: "w1", "w2" (ika-direct); "g1.w1" ... "g2.b3" (generators);
     * "net.w1" ... "net.cb" (the copula net).
     *
     * @throws IllegalStateException when a parameter's gradient is missing or misshapen (a backend bug)
     */
    public static KernelGradient typed(AttentionKernel kernel, Map<String, double[]> byName) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(byName, "byName");
        return switch (kernel) {
            case StandardKernel s -> KernelGradient.NONE;
            case RbfImportanceKernel r -> KernelGradient.NONE;
            case dev.ika4j.api.kernel.GatKernel k -> new KernelGradient.Gat(like(byName, "a_src", k.aSrc()), like(byName, "a_dst", k.aDst()));
            case IkaDirectKernel k -> new KernelGradient.Direct(like(byName, "w1", k.w1()), like(byName, "w2", k.w2()));
            case IkaGeneratorKernel k -> new KernelGradient.Generator(generator(byName, "g1", k.g1()), generator(byName, "g2", k.g2()));
            case CopulaKernel k -> {
                CopulaNet n = k.net();
                CopulaNet net = new CopulaNet(like(byName, "net.w1", n.w1()), like(byName, "net.b1", n.b1()),
                        like(byName, "net.w2", n.w2()), like(byName, "net.b2", n.b2()), like(byName, "net.w3", n.w3()),
                        like(byName, "net.b3", n.b3()), like(byName, "net.c", n.c()), like(byName, "net.cb", n.cb()));
                yield new KernelGradient.Copula(net, generator(byName, "g1", k.g1()), generator(byName, "g2", k.g2()));
            }
        };
    }

    private static SpectralGenerator generator(Map<String, double[]> byName, String prefix, SpectralGenerator g) {
        return new SpectralGenerator(like(byName, prefix + ".w1", g.w1()), like(byName, prefix + ".b1", g.b1()),
                like(byName, prefix + ".w2", g.w2()), like(byName, prefix + ".b2", g.b2()),
                like(byName, prefix + ".w3", g.w3()), like(byName, prefix + ".b3", g.b3()));
    }

    private static ParamTensor like(Map<String, double[]> byName, String name, ParamTensor param) {
        double[] g = byName.get(name);
        if (g == null || g.length != param.size()) {
            throw new IllegalStateException("the backward pass gave " + (g == null ? "no gradient" : g.length + " values")
                    + " for parameter " + name + " " + param.shapeString());
        }
        return ParamTensor.of(g, param.shape());
    }

    /** A recording returns the output only: no energy, no scores output. */
    public static void checkRecordable(AttentionOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.returnEnergy()) {
            throw new IllegalArgumentException("a recorded forward returns no energy; drop returnEnergy or call attention()");
        }
        if (options.scoresOutput() != null) {
            throw new IllegalArgumentException("a recorded forward returns no scores output; drop scoresOutput("
                    + options.scoresOutput() + ") or call attention()");
        }
    }

    /** The arguments of a backward: dOut shaped like the output, a finite regulariser weight. */
    public static void checkBackward(AttentionProblem p, Tensor dOut, double dRegularizer) {
        Objects.requireNonNull(dOut, "dOut");
        if (dOut.batch() != p.batch() || dOut.heads() != p.qHeads() || dOut.seq() != p.qSeq() || dOut.dim() != p.vDim()) {
            throw new IllegalArgumentException("dOut " + dOut.shapeString() + " must have the output's shape " + p.outputShape());
        }
        if (!Double.isFinite(dRegularizer)) {
            throw new IllegalArgumentException("dRegularizer must be finite, got " + dRegularizer);
        }
    }
}
