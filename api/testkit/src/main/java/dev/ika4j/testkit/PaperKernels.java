/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.SplittableRandom;

/**
 * Seeded random parameters for the paper's kernels, scaled like the authors' initialisation
 * (uniform with bound 1/sqrt(fan_in)) times {@code gain}, so the spectral phases are neither all
 * zero nor all noise; and, as static methods, the parameters the gradient checks draw from their
 * own {@link SplittableRandom}. The one random-kernel factory of the test kit.
 */
public final class PaperKernels {
    private final RandomInputs r;

    public PaperKernels(long seed) {
        this.r = new RandomInputs(seed);
    }

    public RandomInputs random() {
        return r;
    }

    /** Uniform(-bound, bound) values of the given shape, never 0. */
    public ParamTensor uniform(double bound, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = bound * r.uniform();
        return ParamTensor.of(v, shape);
    }

    /** Standard normal values of the given shape. */
    public ParamTensor gaussian(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.gaussian();
        return ParamTensor.of(v, shape);
    }

    /** W1, W2 of shape [d, heads, M] with entries of about gain / sqrt(d). */
    public IkaDirectKernel direct(int d, int heads, int m, double gain, IkaOptions o) {
        double bound = gain / Math.sqrt(d);
        return new IkaDirectKernel(uniform(bound, d, heads, m), uniform(bound, d, heads, m), o);
    }

    /** A generator with hidden widths n1, n2. */
    public SpectralGenerator generator(int d, int n1, int n2, double gain) {
        return new SpectralGenerator(uniform(gain / Math.sqrt(d), d, n1), uniform(0.1, n1), uniform(1 / Math.sqrt(n1), n1, n2),
                uniform(0.1, n2), uniform(gain / Math.sqrt(n2), n2, d), uniform(0.1, d));
    }

    public IkaGeneratorKernel generatorKernel(int d, int heads, int m, NoiseSource noise, IkaOptions o) {
        return new IkaGeneratorKernel(generator(d, d, d, 1.0), generator(d, d + 3, d, 1.0), m, noise, o);
    }

    /** Fixed standard-normal noise for a generator kernel, [d, heads, M]. */
    public NoiseSource generatorNoise(int d, int heads, int m) {
        return NoiseSource.fixed(gaussian(d, heads, m));
    }

    public CopulaNet copulaNet(int d, int n) {
        double b1 = 1 / Math.sqrt(2 * d), b2 = 1 / Math.sqrt(n);
        return new CopulaNet(uniform(b1, 2 * d, n), uniform(0.1, n), uniform(b2, n, d), uniform(0.1, d), uniform(b2, n, d),
                uniform(0.1, d), uniform(3 * b2, n, d), uniform(0.5, d));
    }

    public CopulaKernel copulaKernel(int d, int m, NoiseSource noise, IkaOptions o) {
        return new CopulaKernel(copulaNet(d, d), generator(d, d, d, 1.0), generator(d, d, d, 1.0), m, noise, o);
    }

    /** Fixed standard-normal copula noise, [batch, d, heads, M]. */
    public NoiseSource copulaNoise(int batch, int d, int heads, int m) {
        return NoiseSource.fixed(gaussian(batch, d, heads, m));
    }

    // ---- for gradient checks: parameters drawn from the caller's SplittableRandom, with biases
    // away from zero so that every path of the generators and the copula net is exercised

    public static ParamTensor uniform(SplittableRandom r, double bound, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (r.nextDouble() * 2 - 1) * bound;
        return ParamTensor.of(v, shape);
    }

    public static ParamTensor gaussian(SplittableRandom r, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return ParamTensor.of(v, shape);
    }

    public static IkaDirectKernel direct(SplittableRandom r, int d, int heads, int m, IkaOptions o) {
        return new IkaDirectKernel(uniform(r, 0.3, d, heads, m), uniform(r, 0.3, d, heads, m), o);
    }

    /** A generator with hidden widths n1, n2 and biases away from zero (so every path is exercised). */
    public static SpectralGenerator generator(SplittableRandom r, int d, int n1, int n2) {
        return new SpectralGenerator(uniform(r, 0.6, d, n1), uniform(r, 0.3, n1), uniform(r, 0.6, n1, n2), uniform(r, 0.3, n2),
                uniform(r, 0.3, n2, d), uniform(r, 0.1, d));
    }

    public static IkaGeneratorKernel generatorKernel(SplittableRandom r, int d, int heads, int m, IkaOptions o) {
        return new IkaGeneratorKernel(generator(r, d, d + 1, d + 2), generator(r, d, d + 2, d),
                m, NoiseSource.fixed(gaussian(r, d, heads, m)), o);
    }

    public static CopulaNet copulaNet(SplittableRandom r, int d, int n) {
        return new CopulaNet(uniform(r, 0.8, 2 * d, n), uniform(r, 0.3, n), uniform(r, 0.5, n, d), uniform(r, 0.2, d),
                uniform(r, 0.5, n, d), uniform(r, 0.2, d), uniform(r, 0.9, n, d), uniform(r, 0.3, d));
    }

    public static CopulaKernel copula(SplittableRandom r, int batch, int d, int heads, int m, IkaOptions o) {
        return new CopulaKernel(copulaNet(r, d, d + 1), generator(r, d, d, d + 1), generator(r, d, d + 1, d), m,
                NoiseSource.fixed(gaussian(r, batch, d, heads, m)), 0.1 + r.nextDouble() * 0.2, 0.1, 1.0, o);
    }
}
