/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Seeded random test inputs. Values are never exactly zero: a kernel that ignores an input, or
 * reads the wrong one, must change the result. Same seed, same values, on every machine.
 */
public final class RandomInputs {
    /** Where a tensor's values live, so that every backend is tried on every storage it accepts. */
    public enum Storage {
        /** Heap float[], [batch, heads, seq, dim]. */
        HEAP,
        /** Heap float[] in the ONNX 3-D packed layout [batch, seq, heads*dim]. */
        PACKED,
        /** Off-heap memory segment, [batch, heads, seq, dim]. */
        SEGMENT
    }

    /** How long a mask's last (key) axis is, relative to the total key count. */
    public enum LastDim {
        /** One column per key. */
        FULL,
        /** Fewer columns than keys: the keys past them are masked out. */
        SHORT,
        /** One column broadcast to every key. */
        ONE
    }

    private final SplittableRandom rng;

    public RandomInputs(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** N(0, 1), never 0. */
    public float gaussian() {
        while (true) {
            // Box-Muller on SplittableRandom, which has no nextGaussian of its own state
            double u = rng.nextDouble(), w = rng.nextDouble();
            if (u == 0) continue;
            float g = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w));
            if (g != 0) return g;
        }
    }

    /** Uniform on (lo, hi), never 0. */
    public float uniform(float lo, float hi) {
        while (true) {
            float x = (float) (lo + (hi - lo) * rng.nextDouble());
            if (x != 0 && x > lo && x < hi) return x;
        }
    }

    /** Uniform on (-1, 1), never 0. */
    public float uniform() {
        return uniform(-1f, 1f);
    }

    public float[] gaussians(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = gaussian();
        return a;
    }

    public float[] uniforms(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = uniform();
        return a;
    }

    /** Uniform int in [lo, hi]. */
    public int between(int lo, int hi) {
        return lo + rng.nextInt(hi - lo + 1);
    }

    public boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[rng.nextInt(options.length)];
    }

    public int pickInt(int... options) {
        return options[rng.nextInt(options.length)];
    }

    public double pickDouble(double... options) {
        return options[rng.nextInt(options.length)];
    }

    /** A heap [batch, heads, seq, dim] tensor of N(0, 1) values. */
    public Tensor tensor(int batch, int heads, int seq, int dim) {
        return tensor(Storage.HEAP, batch, heads, seq, dim);
    }

    /** An N(0, 1) tensor of logical shape [batch, heads, seq, dim] in the given storage. */
    public Tensor tensor(Storage storage, int batch, int heads, int seq, int dim) {
        float[] data = gaussians(Math.multiplyExact(Math.multiplyExact(batch, heads), Math.multiplyExact(seq, dim)));
        return switch (storage) {
            case HEAP -> Tensor.bhsd(data, batch, heads, seq, dim);
            case PACKED -> Tensor.bshd(data, batch, seq, heads, dim);
            case SEGMENT -> {
                // Arena.ofAuto: freed by the GC and readable from any thread (the concurrency test needs that)
                MemorySegment seg = Arena.ofAuto().allocate((long) data.length * Float.BYTES, Float.BYTES);
                MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, data.length);
                yield Tensor.bhsd(seg, DType.FLOAT32, batch, heads, seq, dim);
            }
        };
    }

    /**
     * Dims of a mask of the given rank (1..4) that broadcasts to [batch, heads, qSeq, totalKv]:
     * each leading axis randomly 1 or full, the last one as {@code last} says.
     */
    public int[] maskDims(int rank, LastDim last, int batch, int heads, int qSeq, int totalKv) {
        int[] target = {batch, heads, qSeq, totalKv};
        int[] dims = new int[rank];
        for (int a = 0; a < rank - 1; a++) dims[a] = chance(0.5) ? 1 : target[4 - rank + a];
        dims[rank - 1] = switch (last) {
            case FULL -> totalKv;
            case ONE -> 1;
            case SHORT -> totalKv > 1 ? between(1, totalKv - 1) : 1;
        };
        return dims;
    }

    /** A boolean mask, each entry allowed with probability {@code pAllowed}. */
    public AttentionMask boolMask(int[] dims, double pAllowed) {
        boolean[] a = new boolean[count(dims)];
        for (int i = 0; i < a.length; i++) a[i] = chance(pAllowed);
        return AttentionMask.bool(a, dims);
    }

    /** An additive mask: uniform(-3, 3) biases, -inf with probability {@code pMasked}. */
    public AttentionMask additiveMask(int[] dims, double pMasked) {
        float[] a = new float[count(dims)];
        for (int i = 0; i < a.length; i++) a[i] = chance(pMasked) ? Float.NEGATIVE_INFINITY : uniform(-3f, 3f);
        return AttentionMask.additive(a, dims);
    }

    /** Valid key lengths in [0, total] per batch, biased towards the ends (0 and total matter most). */
    public int[] lengths(int batch, int total) {
        int[] out = new int[batch];
        for (int b = 0; b < batch; b++) {
            double r = rng.nextDouble();
            out[b] = r < 0.15 ? 0 : r < 0.35 ? total : between(1, total);
        }
        return out;
    }

    private static int count(int[] dims) {
        int n = 1;
        for (int d : dims) n = Math.multiplyExact(n, d);
        return n;
    }
}
