/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The kernels the benchmarks know by name (the JMH parameter {@code kernel}): how each is built for
 * a shape (parameters from a fixed seed, fixed noise so every backend computes the same thing), and
 * an estimate of its FLOPs, which the report prints beside its measured time relative to standard.
 */
public final class Kernels {
    /** Spectral samples M of the IKA kernels; the FLOP model below scales with it. */
    public static final int SAMPLES = 64;
    /** M of the linear-time variant, whose work per row grows with (2M)^2. */
    public static final int LINEAR_SAMPLES = 16;

    /**
     * @param name         the kernel's name, as {@link AttentionKernel#name()} gives it (plus a suffix
     *                     for variants)
     * @param factory      builds the kernel for a problem shape
     * @param flops        estimated FLOPs of one call on a shape (causal or not)
     * @param tolerance    factor on the reference check's tolerance: cos, sin and log in float32
     * @param rowSeparable whether one query row may be checked alone; false for kernels with
     *                     per-head parameters or state pooled over the whole sequence
     * @param querySubset  whether a sample of query rows (all heads, all keys) may be checked as a
     *                     problem of its own: true for per-head parameters, false for state pooled
     *                     over the queries (the copula), which is checked against the full reference
     */
    public record Entry(String name, Function<Shape, AttentionKernel> factory, FlopModel flops, double tolerance,
                        boolean rowSeparable, boolean querySubset) {}

    /** FLOPs of one call. */
    @FunctionalInterface
    public interface FlopModel {
        double flops(Shape s, boolean causal);
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add(new Entry("standard", s -> AttentionKernel.standard(), Shape::flops, 1, true, true));
        // p = 2.5: with p = 2 the kernel is standard attention rewritten, which a backend may shortcut.
        add(new Entry("rbf-importance", s -> RbfImportanceKernel.lp(2.5),
                (s, c) -> s.flops(c) + rows(s) * 2 * 3.0 * s.dim(), 1, true, true));
        add(new Entry("ika-direct", s -> direct(s, SAMPLES, IkaOptions.DEFAULT), Kernels::spectralFlops, 4, false, true));
        add(new Entry("ika-generator", Kernels::generatorKernel, Kernels::spectralFlops, 4, false, true));
        add(new Entry("copula", Kernels::copula, Kernels::spectralFlops, 4, false, false));
        add(new Entry("ika-direct-linear", s -> direct(s, LINEAR_SAMPLES, IkaOptions.builder().linear(true).build()),
                Kernels::linearFlops, 4, false, false));
    }

    private Kernels() {}

    private static void add(Entry e) {
        ENTRIES.put(e.name(), e);
    }

    /** The entry for {@code name}; unknown names fail listing the known ones. */
    public static Entry get(String name) {
        Entry e = ENTRIES.get(name);
        if (e == null) throw new IllegalArgumentException("unknown kernel '" + name + "'; known: " + ENTRIES.keySet());
        return e;
    }

    /** Every kernel, standard first. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** The paper's kernels: every kernel but standard. */
    public static List<String> paperKernels() {
        return names().stream().filter(n -> !n.equals("standard")).toList();
    }

    /** FLOPs of kernel {@code name} over FLOPs of standard attention, same shape and masking. */
    public static double flopRatio(String name, Shape s, boolean causal) {
        return get(name).flops().flops(s, causal) / s.flops(causal);
    }

    private static double rows(Shape s) {
        return (double) s.batch() * s.heads() * s.seq();
    }

    /**
     * The IKA kernels per (query, key) pair: phi(q).phi(k) over 2M features (4M FLOPs) replaces
     * q.k (2d), P.V stays (2d); per query and per key row, phi itself: two d x M products (4dM) and
     * 2M cos/sin pairs. The generator and copula networks run once per call over [d, heads, M]
     * columns, negligible at these lengths and left out.
     */
    private static double spectralFlops(Shape s, boolean causal) {
        double pairs = s.batch() * s.heads() * s.pairsPerHead(causal);
        return pairs * (4.0 * SAMPLES + 2.0 * s.dim()) + 2 * rows(s) * (4.0 * s.dim() * SAMPLES + 4.0 * SAMPLES);
    }

    /**
     * Section 6's linear-time form with M = {@link #LINEAR_SAMPLES}: per key a rank-1 update of
     * S (F x (d+1), F = M(2M+1)+1 features of vec(phi phi^T) plus one for eps), per query a read of
     * it, both 2F(d+1), plus building the F features and phi per row; causal adds a small
     * quadratic part inside chunks of 64 keys (about 32 keys per query).
     */
    private static double linearFlops(Shape s, boolean causal) {
        int m = LINEAR_SAMPLES, d = s.dim();
        double f = m * (2.0 * m + 1) + 1;
        double perRow = 2 * (2 * f * (d + 1) + f) + 2 * (4.0 * d * m + 4.0 * m);
        return rows(s) * (perRow + (causal ? 32 * (4.0 * m + 2.0 * d) : 0));
    }

    private static SplittableRandom seeded(Shape s) {
        return new SplittableRandom(0x1CA5EEDL + 31L * s.dim() + s.heads());
    }

    /** Spectral points of scale 1/sqrt(d): phases c W^T x of order one for inputs in [-1, 1]. */
    private static IkaDirectKernel direct(Shape s, int m, IkaOptions o) {
        SplittableRandom r = seeded(s);
        double w = 1 / Math.sqrt(s.dim());
        return new IkaDirectKernel(gaussian(r, w, s.dim(), s.heads(), m), gaussian(r, w, s.dim(), s.heads(), m), o);
    }

    private static IkaGeneratorKernel generatorKernel(Shape s) {
        SplittableRandom r = seeded(s);
        int d = s.dim();
        return new IkaGeneratorKernel(generator(r, d), generator(r, d), SAMPLES,
                NoiseSource.fixed(gaussian(r, 1, d, s.heads(), SAMPLES)), IkaOptions.DEFAULT);
    }

    private static CopulaKernel copula(Shape s) {
        SplittableRandom r = seeded(s);
        int d = s.dim(), n = d;
        double a = 1 / Math.sqrt(2 * d), h = 1 / Math.sqrt(n);
        CopulaNet net = new CopulaNet(gaussian(r, a, 2 * d, n), gaussian(r, 0.1, n), gaussian(r, h, n, d),
                gaussian(r, 0.1, d), gaussian(r, h, n, d), gaussian(r, 0.1, d), gaussian(r, h, n, d), gaussian(r, 0.1, d));
        return new CopulaKernel(net, generator(r, d), generator(r, d), SAMPLES,
                NoiseSource.fixed(gaussian(r, 1, s.batch(), d, s.heads(), SAMPLES)), IkaOptions.DEFAULT);
    }

    /** The authors' WNet shape (hidden widths d), weights of scale 1/sqrt(fan-in). */
    private static SpectralGenerator generator(SplittableRandom r, int d) {
        double w = 1 / Math.sqrt(d);
        return new SpectralGenerator(gaussian(r, w, d, d), gaussian(r, 0.1, d), gaussian(r, w, d, d), gaussian(r, 0.1, d),
                gaussian(r, w / Math.sqrt(d), d, d), gaussian(r, 0.01, d));
    }

    private static ParamTensor gaussian(SplittableRandom r, double sd, int... shape) {
        int n = 1;
        for (int x : shape) n *= x;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * sd;
        return ParamTensor.of(v, shape);
    }
}
