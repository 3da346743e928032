package dev.ika4j.gradtest;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.SplittableRandom;

/** Random parameters for the paper's kernels, sized for a problem's head dim and heads. */
public final class RandomKernels {
    private RandomKernels() {}

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
