/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator.SplittableGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Where a generator kernel's standard-normal noise comes from: noise the caller passes (exact
 * reproducibility on every backend), or a seed.
 *
 * <p>Seeded noise comes from a {@code L64X128MixRandom} splittable generator: draw n is the n-th
 * split of the generator created from the seed, filled with {@code nextGaussian()} in C order.
 * In {@link Mode#TRAINING} every call takes the next draw (draw 0 first); in
 * {@link Mode#INFERENCE} every call takes draw 0, so inference is deterministic. {@link #draw}
 * recomputes any draw, e.g. for a backward pass. Seeded draws are a CPU convention: a GPU backend
 * may draw its own; pass fixed noise to compare backends.
 *
 * <p>Thread-safe.
 */
public final class NoiseSource {
    /** Whether each call draws fresh noise. */
    public enum Mode { TRAINING, INFERENCE }

    private static final String ALGORITHM = "L64X128MixRandom";

    private final ParamTensor fixed;
    private final long seed;
    private final Mode mode;
    private SplittableGenerator root;
    private long taken;

    private NoiseSource(ParamTensor fixed, long seed, Mode mode) {
        this.fixed = fixed;
        this.seed = seed;
        this.mode = mode;
        this.root = fixed == null ? newRoot(seed) : null;
    }

    /** The caller's noise, used on every call. */
    public static NoiseSource fixed(ParamTensor z) {
        return new NoiseSource(Objects.requireNonNull(z, "noise"), 0, Mode.INFERENCE);
    }

    /** Noise drawn from {@code seed}: a fresh draw per call in training mode, draw 0 in inference mode. */
    public static NoiseSource seeded(long seed, Mode mode) {
        return new NoiseSource(null, seed, Objects.requireNonNull(mode, "mode"));
    }

    private static SplittableGenerator newRoot(long seed) {
        return RandomGeneratorFactory.<SplittableGenerator>of(ALGORITHM).create(seed);
    }

    public boolean isFixed() { return fixed != null; }

    /** The caller's noise, or null when seeded. */
    public ParamTensor fixedNoise() { return fixed; }

    public long seed() { return seed; }

    public Mode mode() { return mode; }

    /** How many draws training-mode calls have taken so far. */
    public synchronized long drawsTaken() { return taken; }

    /**
     * The noise of one call, of the given shape: the fixed noise (whose shape must match), draw 0
     * in inference mode, or the next draw in training mode.
     */
    public ParamTensor next(int... shape) {
        if (fixed != null) {
            if (!fixed.hasShape(shape)) {
                throw new IllegalArgumentException("noise has shape " + fixed.shapeString() + " but this call needs " + Arrays.toString(shape));
            }
            return fixed;
        }
        if (mode == Mode.INFERENCE) return draw(0, shape);
        SplittableGenerator g;
        synchronized (this) {
            g = root.split();
            taken++;
        }
        return fill(g, shape);
    }

    /** Draw number {@code index} of this seed, of the given shape; a pure function of (seed, index, shape). */
    public ParamTensor draw(long index, int... shape) {
        if (fixed != null) throw new IllegalStateException("fixed noise has no numbered draws");
        if (index < 0) throw new IllegalArgumentException("draw index must be >= 0, got " + index);
        SplittableGenerator r = newRoot(seed), g = null;
        for (long i = 0; i <= index; i++) g = r.split();
        return fill(g, shape);
    }

    private static ParamTensor fill(SplittableGenerator g, int[] shape) {
        ParamTensor z = ParamTensor.zeros(shape);
        double[] v = new double[z.size()];
        for (int i = 0; i < v.length; i++) v[i] = g.nextGaussian();
        return ParamTensor.of(v, shape);
    }

    @Override
    public String toString() {
        return fixed != null ? "fixed noise " + fixed.shapeString() : "seed " + seed + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
