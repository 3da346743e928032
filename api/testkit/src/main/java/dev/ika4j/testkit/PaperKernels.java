package dev.ika4j.testkit;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;

/**
 * Seeded random parameters for the paper's kernels, scaled like the authors' initialisation
 * (uniform with bound 1/sqrt(fan_in)) times {@code gain}, so the spectral phases are neither all
 * zero nor all noise.
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
}
