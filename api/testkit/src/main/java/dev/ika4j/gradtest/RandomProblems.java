/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.gradtest;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.reference.ReferenceBackward;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.SplittableRandom;

/** Random attention problems with every option, for the gradient tests of every backend. */
public final class RandomProblems {
    private RandomProblems() {}

    public static Tensor random(SplittableRandom r, int b, int h, int s, int d) {
        float[] a = new float[b * h * s * d];
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return Tensor.bhsd(a, b, h, s, d);
    }

    public static double[] randomDoubles(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble() * 2 - 1;
        return a;
    }

    /** Float64 values that no float32 tensor holds, so the check runs at full precision. */
    public static ReferenceBackward.Values randomValues(SplittableRandom r, AttentionProblem p) {
        ReferenceBackward.Values x = ReferenceBackward.Values.of(p);
        for (double[] a : new double[][] {x.q(), x.k(), x.v()})
            for (int i = 0; i < a.length; i++) a[i] += 1e-3 * (r.nextDouble() - 0.5);
        return x;
    }

    public static boolean[] randomBool(SplittableRandom r, int n, double keep) {
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) m[i] = r.nextDouble() < keep;
        return m;
    }

    /** A random option set: seed picks GQA, causal, masks, softcap, lengths and a past cache. */
    public static AttentionProblem randomProblem(long seed, AttentionOptions.Builder base) {
        return randomProblem(seed, base, 5, 5);
    }

    /** As above with sequences up to {@code maxSeq} and head dims up to {@code maxDim}. */
    public static AttentionProblem randomProblem(long seed, AttentionOptions.Builder base, int maxSeq, int maxDim) {
        SplittableRandom r = new SplittableRandom(seed);
        int batch = 1 + r.nextInt(2);
        int kvHeads = 1 + r.nextInt(2);
        int qHeads = kvHeads * (1 + r.nextInt(2));
        int qSeq = 1 + r.nextInt(Math.max(1, maxSeq - 1));
        int kvSeq = 1 + r.nextInt(maxSeq);
        int dim = 1 + r.nextInt(maxDim);
        int vDim = 1 + r.nextInt(Math.max(1, maxDim - 2));
        int past = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
        Tensor q = random(r, batch, qHeads, qSeq, dim), k = random(r, batch, kvHeads, kvSeq, dim);
        Tensor v = random(r, batch, kvHeads, kvSeq, vDim);
        AttentionOptions.Builder o = base;
        if (past > 0) o.past(random(r, batch, kvHeads, past, dim), random(r, batch, kvHeads, past, vDim));
        int total = past + kvSeq;
        // the copula kernel refuses causal (its encoder pools the whole sequence); the draw is kept
        boolean causal = r.nextBoolean();
        o.causal(causal && !(o.build().kernel() instanceof dev.ika4j.api.kernel.CopulaKernel));
        switch (r.nextInt(3)) {
            case 0 -> o.mask(AttentionMask.bool(randomBool(r, qSeq * total, 0.75), qSeq, total));
            case 1 -> {
                float[] bias = new float[batch * qHeads * qSeq * total];
                for (int i = 0; i < bias.length; i++) {
                    bias[i] = r.nextInt(6) == 0 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
                }
                o.mask(AttentionMask.additive(bias, batch, qHeads, qSeq, total));
            }
            default -> { }
        }
        if (r.nextBoolean()) {
            double cap = 0.5 + r.nextDouble();
            // the paper's kernels reject a softcap; the draw is kept so that shapes do not depend on the kernel
            if (o.build().kernel() instanceof StandardKernel) o.softcap(cap);
        }
        if (r.nextBoolean()) {
            int[] lens = new int[batch];
            for (int b = 0; b < batch; b++) lens[b] = 1 + r.nextInt(total);
            o.kvLengths(lens);
        }
        if (r.nextInt(4) == 0) o.scale(0.3 + r.nextDouble());
        return AttentionProblem.of(q, k, v, o.build());
    }

    /** The options a problem was resolved from (past rebuilt from the present tensors). */
    public static AttentionOptions optionsOf(AttentionProblem p) {
        AttentionOptions.Builder o = AttentionOptions.builder().causal(p.causal()).mask(p.mask() == null ? null : p.mask().mask()).softcap(p.softcap())
                .kvLengths(p.kvLengths()).scale(p.scale()).kernel(p.kernel());
        if (p.pastSeq() > 0) o.past(slice(p.presentKey(), 0, p.pastSeq()), slice(p.presentValue(), 0, p.pastSeq()));
        return o.build();
    }

    public static Tensor slice(Tensor t, int from, int to) {
        Tensor out = Tensor.zerosBhsd(t.batch(), t.heads(), to - from, t.dim());
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = from; s < to; s++)
                    for (int c = 0; c < t.dim(); c++) out.set(b, h, s - from, c, t.get(b, h, s, c));
        return out;
    }

}
