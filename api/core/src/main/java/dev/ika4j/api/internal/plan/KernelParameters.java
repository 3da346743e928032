/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.kernel.StandardKernel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kernel's learned parameters by name, in the order and under the names that
 * the backward passes report their gradients (typed by {@link dev.ika4j.api.spi.Gradients#typed}), each in its
 * own C-order layout:
 *
 * <ul>
 *   <li>{@code ika-direct}: "w1", "w2" ([d, heads, M]);
 *   <li>{@code ika-generator}: "g1.w1", "g1.b1", "g1.w2", "g1.b2", "g1.w3", "g1.b3", then "g2.*";
 *   <li>{@code copula}: "net.w1", "net.b1", "net.w2", "net.b2", "net.w3", "net.b3", "net.c",
 *       "net.cb", then "g1.*" and "g2.*";
 *   <li>standard and rbf-importance: none.
 * </ul>
 * Noise is not a parameter: gradients flow through what the noise is mapped by, never the draw.
 */
public final class KernelParameters {
    private KernelParameters() {}

    public static Map<String, double[]> of(AttentionKernel kernel) {
        Map<String, double[]> out = new LinkedHashMap<>();
        switch (kernel) {
            case StandardKernel s -> { }
            case RbfImportanceKernel r -> { }
            case dev.ika4j.api.kernel.GatKernel g -> {
                out.put("a_src", g.aSrc().toArray());
                out.put("a_dst", g.aDst().toArray());
            }
            case IkaDirectKernel k -> {
                out.put("w1", k.w1().toArray());
                out.put("w2", k.w2().toArray());
            }
            case IkaGeneratorKernel k -> {
                put(out, "g1", k.g1());
                put(out, "g2", k.g2());
            }
            case CopulaKernel k -> {
                CopulaNet n = k.net();
                out.put("net.w1", n.w1().toArray());
                out.put("net.b1", n.b1().toArray());
                out.put("net.w2", n.w2().toArray());
                out.put("net.b2", n.b2().toArray());
                out.put("net.w3", n.w3().toArray());
                out.put("net.b3", n.b3().toArray());
                out.put("net.c", n.c().toArray());
                out.put("net.cb", n.cb().toArray());
                put(out, "g1", k.g1());
                put(out, "g2", k.g2());
            }
        }
        return out;
    }

    private static void put(Map<String, double[]> out, String prefix, SpectralGenerator g) {
        out.put(prefix + ".w1", g.w1().toArray());
        out.put(prefix + ".b1", g.b1().toArray());
        out.put(prefix + ".w2", g.w2().toArray());
        out.put(prefix + ".b2", g.b2().toArray());
        out.put(prefix + ".w3", g.w3().toArray());
        out.put(prefix + ".b3", g.b3().toArray());
    }

    /**
     * The same kernel with its parameters replaced by {@code values} (names as {@link #of}); hyper-
     * parameters and noise are kept. A missing name keeps the kernel's own value.
     *
     * @throws IllegalArgumentException when a value's length does not fit its parameter's shape
     */
    public static AttentionKernel withValues(AttentionKernel kernel, Map<String, double[]> values) {
        return switch (kernel) {
            case StandardKernel s -> s;
            case RbfImportanceKernel r -> r;
            case dev.ika4j.api.kernel.GatKernel g -> new dev.ika4j.api.kernel.GatKernel(value(values, "a_src", g.aSrc()),
                    value(values, "a_dst", g.aDst()), g.negativeSlope(), g.form());
            case IkaDirectKernel k -> new IkaDirectKernel(value(values, "w1", k.w1()), value(values, "w2", k.w2()), k.options());
            case IkaGeneratorKernel k -> new IkaGeneratorKernel(generator(values, "g1", k.g1()), generator(values, "g2", k.g2()),
                    k.samples(), k.noise(), k.options());
            case CopulaKernel k -> {
                CopulaNet n = k.net();
                CopulaNet net = new CopulaNet(value(values, "net.w1", n.w1()), value(values, "net.b1", n.b1()),
                        value(values, "net.w2", n.w2()), value(values, "net.b2", n.b2()), value(values, "net.w3", n.w3()),
                        value(values, "net.b3", n.b3()), value(values, "net.c", n.c()), value(values, "net.cb", n.cb()));
                yield new CopulaKernel(net, generator(values, "g1", k.g1()), generator(values, "g2", k.g2()), k.samples(),
                        k.noise(), k.priorVar(), k.klLambda(), k.copulaLambda(), k.options());
            }
        };
    }

    private static SpectralGenerator generator(Map<String, double[]> values, String prefix, SpectralGenerator g) {
        return new SpectralGenerator(value(values, prefix + ".w1", g.w1()), value(values, prefix + ".b1", g.b1()),
                value(values, prefix + ".w2", g.w2()), value(values, prefix + ".b2", g.b2()),
                value(values, prefix + ".w3", g.w3()), value(values, prefix + ".b3", g.b3()));
    }

    private static ParamTensor value(Map<String, double[]> values, String name, ParamTensor current) {
        double[] v = values.get(name);
        if (v == null) return current;
        if (v.length != current.size()) {
            throw new IllegalArgumentException("parameter " + name + " has " + v.length + " values but its shape "
                    + current.shapeString() + " needs " + current.size());
        }
        return ParamTensor.of(v, current.shape());
    }
}
