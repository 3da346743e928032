/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The gate every benchmark passes once, in its setup, before it may post a number: its output is
 * compared with the float64 reference backend. Small problems are checked whole; for large ones the
 * reference computes a sample of rows (the first, second, middle and last query of a few heads,
 * plus random ones), each as a one-query problem over that head's keys, so the check costs
 * O(rows * seq * dim) instead of the reference's O(seq^2 * dim) per head. Kernels whose rows are
 * not independent problems (per-head parameters, state pooled over the sequence) are checked whole.
 */
public final class ReferenceCheck {
    /** Problems up to this many multiply-adds (per Q.K^T) are checked in full. */
    private static final double FULL_CHECK_MACS = 1 << 24;
    private static final int RANDOM_ROWS_PER_HEAD = 8;
    private static final int MAX_HEADS_SAMPLED = 4;

    private ReferenceCheck() {}

    /**
     * Absolute tolerance on outputs, which are convex combinations of values in [-1, 1]. It grows
     * with the log of the key count and the square root of the head dim, the way float32 rounding
     * in the dot products and the softmax sum grows; a wrong kernel misses it by orders of magnitude.
     */
    public static double tolerance(Shape s, double kernelFactor) {
        double log2Seq = Math.log(s.kvSeq()) / Math.log(2);
        return 5e-5 * (4 + log2Seq) * Math.sqrt(s.dim() / 64.0) * kernelFactor;
    }

    /** {@link #verify} for standard attention, as every peer computes it. */
    public static void verifyStandard(String who, Problem p, float[] out) {
        verify(who, p, AttentionKernel.standard(), 1.0, true, out);
    }

    /**
     * Throws {@link IllegalStateException} naming {@code who}, the shape and the worst row when
     * {@code out} ([batch, heads, seq, dim], contiguous) differs from the reference.
     *
     * @param rowSeparable whether a query row may be checked alone (see {@link Kernels.Entry});
     *                     if not, the reference computes the whole problem whatever its size
     */
    public static void verify(String who, Problem p, AttentionKernel kernel, double kernelFactor, boolean rowSeparable,
                              float[] out) {
        verify(who, p, kernel, kernelFactor, rowSeparable, false, out);
    }

    /**
     * As {@link #verify(String, Problem, AttentionKernel, double, boolean, float[])}; with
     * {@code querySubset} a kernel that is not row-separable is checked on a sample of query rows
     * of every head (a problem of its own, with the full K and V) instead of the whole problem.
     */
    public static void verify(String who, Problem p, AttentionKernel kernel, double kernelFactor, boolean rowSeparable,
                              boolean querySubset, float[] out) {
        Shape s = p.shape;
        if (out.length != s.elements()) {
            throw new IllegalStateException(who + ": output has " + out.length + " values, expected " + s.elements());
        }
        double tol = tolerance(s, kernelFactor);
        double macs = (double) s.batch() * s.heads() * s.seq() * s.kvSeq() * s.dim();
        Worst worst = new Worst();
        if (macs <= FULL_CHECK_MACS || (!rowSeparable && !querySubset)) {
            float[] ref = fullReference(p, kernel);
            for (int b = 0; b < s.batch(); b++)
                for (int h = 0; h < s.heads(); h++)
                    for (int i = 0; i < s.seq(); i++) worst.compare(p, out, ref, p.offset(b, h, i), b, h, i);
        } else if (!rowSeparable) {
            int[] rows = sampledRows(s, new int[] {0, 0}).stream().mapToInt(Integer::intValue).toArray();
            float[] ref = subsetReference(p, kernel, rows);
            int d = s.dim();
            for (int b = 0; b < s.batch(); b++)
                for (int h = 0; h < s.heads(); h++)
                    for (int r = 0; r < rows.length; r++) {
                        worst.compare(p, out, ref, ((b * s.heads() + h) * rows.length + r) * d, b, h, rows[r]);
                    }
        } else {
            for (int[] bh : sampledHeads(s)) {
                for (int i : sampledRows(s, bh)) {
                    float[] ref = rowReference(p, kernel, bh[0], bh[1], i);
                    worst.compare(p, out, ref, 0, bh[0], bh[1], i);
                }
            }
        }
        if (!(worst.error <= tol)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s gives a wrong result for %s %s: max |out - reference| = %.3g at (b=%d, h=%d, query %d), tolerance %.3g"
                            + " (%d rows checked); refusing to benchmark it",
                    who, s, p.causal ? "causal" : "non-causal", worst.error, worst.b, worst.h, worst.i, tol, worst.rows));
        }
    }

    private static float[] fullReference(Problem p, AttentionKernel kernel) {
        AttentionOptions o = AttentionOptions.builder().causal(p.causal).kernel(kernel).build();
        return new ReferenceBackend().attention(p.qTensor(), p.kTensor(), p.vTensor(), o).output().toArray();
    }

    /**
     * Query i of head (b, h) alone, over the keys of its kv head. Causal becomes a valid-key count
     * of i + 1, which is exactly the key set causal attention gives query i when there is no past.
     */
    private static float[] rowReference(Problem p, AttentionKernel kernel, int b, int h, int i) {
        Shape s = p.shape;
        int d = s.dim(), kh = h / s.group();
        float[] q = new float[d];
        System.arraycopy(p.q, p.offset(b, h, i), q, 0, d);
        float[] k = new float[s.kvSeq() * d], v = new float[s.kvSeq() * d];
        System.arraycopy(p.k, p.kvOffset(b, kh, 0), k, 0, k.length);
        System.arraycopy(p.v, p.kvOffset(b, kh, 0), v, 0, v.length);
        AttentionOptions.Builder o = AttentionOptions.builder().kernel(kernel);
        if (p.causal) o.kvLengths(new int[] {Math.min(i + 1, s.kvSeq())});
        return new ReferenceBackend().attention(Tensor.bhsd(q, 1, 1, 1, d), Tensor.bhsd(k, 1, 1, s.kvSeq(), d),
                Tensor.bhsd(v, 1, 1, s.kvSeq(), d), o.build()).output().toArray();
    }

    /**
     * Query rows {@code rows} of every (batch, head) as one problem over all keys; causal becomes a
     * boolean mask letting row rows[r] see keys 0..rows[r], the key set causal attention gives it.
     */
    private static float[] subsetReference(Problem p, AttentionKernel kernel, int[] rows) {
        Shape s = p.shape;
        int d = s.dim(), n = rows.length;
        float[] q = new float[s.batch() * s.heads() * n * d];
        for (int b = 0; b < s.batch(); b++)
            for (int h = 0; h < s.heads(); h++)
                for (int r = 0; r < n; r++) System.arraycopy(p.q, p.offset(b, h, rows[r]), q, ((b * s.heads() + h) * n + r) * d, d);
        AttentionOptions.Builder o = AttentionOptions.builder().kernel(kernel);
        if (p.causal) {
            boolean[] allowed = new boolean[n * s.kvSeq()];
            for (int r = 0; r < n; r++) for (int j = 0; j <= Math.min(rows[r], s.kvSeq() - 1); j++) allowed[r * s.kvSeq() + j] = true;
            o.mask(dev.ika4j.api.AttentionMask.bool(allowed, n, s.kvSeq()));
        }
        return new ReferenceBackend().attention(Tensor.bhsd(q, s.batch(), s.heads(), n, d), p.kTensor(), p.vTensor(), o.build())
                .output().toArray();
    }

    private static List<int[]> sampledHeads(Shape s) {
        int n = s.batch() * s.heads();
        TreeSet<Integer> picked = new TreeSet<>(List.of(0, n - 1));
        SplittableRandom rnd = new SplittableRandom(n);
        while (picked.size() < Math.min(n, MAX_HEADS_SAMPLED)) picked.add(rnd.nextInt(n));
        List<int[]> out = new ArrayList<>();
        for (int bh : picked) out.add(new int[] {bh / s.heads(), bh % s.heads()});
        return out;
    }

    private static TreeSet<Integer> sampledRows(Shape s, int[] bh) {
        int n = s.seq();
        TreeSet<Integer> rows = new TreeSet<>(List.of(0, Math.min(1, n - 1), n / 2, n - 1));
        SplittableRandom rnd = new SplittableRandom(31L * bh[0] + bh[1] + n);
        for (int r = 0; r < RANDOM_ROWS_PER_HEAD; r++) rows.add(rnd.nextInt(n));
        return rows;
    }

    /** The largest error seen so far and where. */
    private static final class Worst {
        double error;
        int b, h, i, rows;

        /** Compares row (b, h, i) of {@code out} with the reference row starting at {@code ref[r0]}. */
        void compare(Problem p, float[] out, float[] ref, int r0, int b, int h, int i) {
            int d = p.shape.dim();
            int o = p.offset(b, h, i);
            rows++;
            for (int c = 0; c < d; c++) {
                double want = ref[r0 + c], got = out[o + c];
                // NaN where the reference is finite counts as an infinite error, never as a pass.
                double e = Double.isFinite(got) ? Math.abs(got - want) : Double.POSITIVE_INFINITY;
                if (Double.isNaN(want)) e = Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
                if (!(e <= error)) {
                    error = e;
                    this.b = b;
                    this.h = h;
                    this.i = i;
                }
            }
        }
    }
}
