/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The paper's learnable kernels as {@link KernelSpec}s, initialised as the authors' code does
 * ({@code attsharedw.py}): every weight matrix {@code kaiming_uniform_(a = sqrt(5))} with PyTorch's
 * fan_in (the second dimension times the rest: heads * M for the [d, heads, M] spectral points, the
 * second dimension for the [in, out] matrices of the generators and the copula net), every bias
 * zero. Parameter names are the gradient names of
 * {@link dev.ika4j.api.internal.plan.KernelParameters}.
 *
 * <p>Noise for the generator and copula kernels is drawn from the model's random source on every
 * call, training or not (the authors' MIKAN draws fresh noise in evaluation too), and passed as
 * fixed noise so that the backward pass sees the forward's draw.
 */
public final class PaperKernelSpecs {
    private PaperKernelSpecs() {}

    static Param kaiming(String name, SplittableRandom rng, int... shape) {
        Param p = new Param(name, shape);
        Init.kaimingUniform(p, rng);
        return p;
    }

    static ParamTensor tensor(Param p) {
        return ParamTensor.of(p.value, p.shape);
    }

    static ParamTensor gaussian(SplittableRandom rng, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
        return ParamTensor.of(v, shape);
    }

    /** IKA-direct: learned W1, W2 of shape [d, heads, M]. */
    public static KernelSpec direct(int d, int heads, int m, IkaOptions options, SplittableRandom init) {
        Param w1 = kaiming("w1", init, d, heads, m), w2 = kaiming("w2", init, d, heads, m);
        return new KernelSpec() {
            @Override public String name() { return "ika-direct"; }
            @Override public List<Param> parameters() { return List.of(w1, w2); }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) {
                return new IkaDirectKernel(tensor(w1), tensor(w2), options);
            }
        };
    }

    /** The authors' WNet: three [d, d] layers, biases zero. */
    static List<Param> generator(String prefix, int d, SplittableRandom init) {
        List<Param> g = new ArrayList<>();
        g.add(kaiming(prefix + ".w1", init, d, d));
        g.add(new Param(prefix + ".b1", d));
        g.add(kaiming(prefix + ".w2", init, d, d));
        g.add(new Param(prefix + ".b2", d));
        g.add(kaiming(prefix + ".w3", init, d, d));
        g.add(new Param(prefix + ".b3", d));
        return g;
    }

    static SpectralGenerator generator(List<Param> g) {
        return new SpectralGenerator(tensor(g.get(0)), tensor(g.get(1)), tensor(g.get(2)), tensor(g.get(3)), tensor(g.get(4)),
                tensor(g.get(5)));
    }

    /** IKA with an implicit spectral generator: W1 = g1(z), W2 = g2(z), z ~ N(0, I) [d, heads, M] per call. */
    public static KernelSpec generator(int d, int heads, int m, IkaOptions options, SplittableRandom init) {
        List<Param> g1 = generator("g1", d, init), g2 = generator("g2", d, init);
        List<Param> all = new ArrayList<>(g1);
        all.addAll(g2);
        return new KernelSpec() {
            @Override public String name() { return "ika-generator"; }
            @Override public List<Param> parameters() { return all; }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) {
                return new IkaGeneratorKernel(generator(g1), generator(g2), m, NoiseSource.fixed(gaussian(rng, d, heads, m)), options);
            }
        };
    }

    /**
     * MIKAN: the copula net (w1 [2d, d], w2, w3, c [d, d], biases [d]) and two generators; noise
     * eps [1, d, heads, M] per call; the regulariser's weights and prior as given.
     */
    public static KernelSpec copula(int d, int heads, int m, IkaOptions options, double priorVar, double klLambda,
                                    double copulaLambda, SplittableRandom init) {
        Param w1 = kaiming("net.w1", init, 2 * d, d), b1 = new Param("net.b1", d);
        Param w2 = kaiming("net.w2", init, d, d), b2 = new Param("net.b2", d);
        Param w3 = kaiming("net.w3", init, d, d), b3 = new Param("net.b3", d);
        Param c = kaiming("net.c", init, d, d), cb = new Param("net.cb", d);
        List<Param> g1 = generator("g1", d, init), g2 = generator("g2", d, init);
        List<Param> all = new ArrayList<>(List.of(w1, b1, w2, b2, w3, b3, c, cb));
        all.addAll(g1);
        all.addAll(g2);
        return new KernelSpec() {
            @Override public String name() { return "copula"; }
            @Override public List<Param> parameters() { return all; }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) {
                CopulaNet net = new CopulaNet(tensor(w1), tensor(b1), tensor(w2), tensor(b2), tensor(w3), tensor(b3), tensor(c), tensor(cb));
                return new CopulaKernel(net, generator(g1), generator(g2), m, NoiseSource.fixed(gaussian(rng, 1, d, heads, m)),
                        priorVar, klLambda, copulaLambda, options);
            }
        };
    }
}
