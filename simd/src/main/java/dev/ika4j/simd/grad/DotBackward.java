/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.WorkPool;
import java.util.Arrays;

/**
 * The backward of the kernels whose logit is a scaled dot product plus terms of one side:
 * standard attention (logit = cap tanh(c q.k / cap), or c q.k without a softcap) and the RBF
 * kernels of sections 1 and 2 (logit = c q.k + t_j with c = 1/tau, {@link RbfBackward}).
 * FlashAttention style, per block of four query rows ({@link RowBlock}) the logits and the softmax
 * are recomputed instead of stored, then dP = dO V^T, dS = P (dP - rowsum(P dP)) (times the
 * softcap's 1 - tanh^2), dQ = c dS K, dK += dS^T (c Q), dV += P^T dO: q is held times c, so the
 * scale costs one multiply per query element instead of two per logit. Keys, values and their
 * gradients are held transposed per KV head so every step is a vector loop along the keys; a GQA
 * group's query heads add into the same KV-head gradients.
 *
 * <p>Each (batch, KV head) is one task of the backend's pool: its gradients (dQ of its query
 * heads, dK, dV of its keys) are its own, so tasks never share an output and the result is the
 * same bit for bit for any thread count (and JIT tier: only IEEE lane operations and VectorMath's
 * exp, tanh and fixed-order lane sums). Inputs only the calling thread may read (a thread-confined
 * segment) keep every task on it.
 */
final class DotBackward {
    /** What differs between the kernels: the logits' extra terms and their gradients. */
    interface Logits {
        /** c: the factor on q.k. */
        float scale();

        /** Called once per (batch, KV head) before its rows, with that head's transposed keys. */
        default void beginHead(AttentionProblem p, int b, int kh, Scratch s) {}

        /** Row {@code o} of {@code s.l4} holds c q.k (padding 0): make it the row's logits, before masking. */
        default void logits(Scratch s, int o, int np) {}

        /** Row {@code o} of {@code s.dS4} holds dLogit: make it d(c q.k) for the keys [0, n) (padding stays 0). */
        default void dLogits(Scratch s, int o, int n, int np) {}

        /** Called once per (batch, KV head) after its rows, with dk of its keys at {@code dk[kBase ..)} in place. */
        default void endHead(AttentionProblem p, int b, int kh, Scratch s, float[] dk, int kBase) {}
    }

    /** One worker's arrays, sized for the problem. */
    static final class Scratch {
        final float[] kT, vT, dkT, dvT, l4, aux4, p4, dS4, bias, logits, keyTerm, colSum, q4, dO4, dq4, row;
        final double[] kRow, dkRow;
        final boolean[] live = new boolean[RowBlock.ROWS];
        /** Per-key state a kernel keeps from beginHead to endHead (allocated by the kernel, reused). */
        double[] keyPowers, keySums, keyMax;

        Scratch(AttentionProblem p) {
            int np = Rows.padded(Math.max(p.kvSeq(), 1)), d = p.dim(), dv = p.vDim(), R = RowBlock.ROWS;
            kT = new float[d * np];
            vT = new float[dv * np];
            dkT = new float[d * np];
            dvT = new float[dv * np];
            l4 = new float[R * np];
            aux4 = new float[R * np];
            p4 = new float[R * np];
            dS4 = new float[R * np];
            bias = new float[np];
            logits = new float[np];
            keyTerm = new float[np];
            colSum = new float[np];
            q4 = new float[R * d];
            dO4 = new float[R * dv];
            dq4 = new float[R * d];
            row = new float[Math.max(d, dv)];
            kRow = new double[d];
            dkRow = new double[d];
        }
    }

    private DotBackward() {}

    /**
     * Returns {dq, dk, dv} flat BHSD; dk and dv over the present keys (past then new). With no pool
     * (null) every task runs on the calling thread.
     */
    static float[][] run(AttentionProblem p, Tensor dOut, Logits kernel, WorkPool pool) {
        int n = p.kvSeq(), d = p.dim(), dv = p.vDim();
        float[] dq = new float[p.batch() * p.qHeads() * p.qSeq() * d];
        float[] dk = new float[p.batch() * p.kvHeads() * n * d];
        float[] dvv = new float[p.batch() * p.kvHeads() * n * dv];
        int tasks = p.batch() * p.kvHeads();
        if (pool == null) {
            Scratch s = new Scratch(p);
            for (int t = 0; t < tasks; t++) head(p, dOut, kernel, s, t, dq, dk, dvv);
        } else {
            boolean parallel = WorkPool.shareable(p.q(), p.presentKey(), p.presentValue(), dOut);
            pool.run(tasks, parallel, () -> new Scratch(p), (s, t) -> head(p, dOut, kernel, s, t, dq, dk, dvv), s -> {});
        }
        return new float[][] {dq, dk, dvv};
    }

    /** Task t: batch t / kvHeads, KV head t % kvHeads, and the query heads of its group. */
    private static void head(AttentionProblem p, Tensor dOut, Logits kernel, Scratch s, int t, float[] dq, float[] dk, float[] dvv) {
        int b = t / p.kvHeads(), kh = t % p.kvHeads();
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), d = p.dim(), dv = p.vDim(), R = RowBlock.ROWS;
        float c = kernel.scale();
        Transposed.load(p.presentKey(), b, kh, n, np, s.kT, s.row);
        Transposed.load(p.presentValue(), b, kh, n, np, s.vT, s.row);
        Arrays.fill(s.dkT, 0f);
        Arrays.fill(s.dvT, 0f);
        kernel.beginHead(p, b, kh, s);
        for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
            for (int i0 = 0; i0 < p.qSeq(); i0 += R) {
                // four query rows at a time: every vector of K^T or V^T loaded feeds four FMAs
                Arrays.fill(s.q4, 0f);
                Arrays.fill(s.dO4, 0f);
                for (int r = 0; r < R && i0 + r < p.qSeq(); r++) {
                    p.q().readRow(b, h, i0 + r, s.q4, r * d);
                    dOut.readRow(b, h, i0 + r, s.dO4, r * dv);
                }
                for (int x = 0; x < R * d; x++) s.q4[x] *= c;
                RowBlock.products(s.q4, 0, d, s.kT, np, s.l4, 0);
                for (int r = 0; r < R; r++) {
                    int i = i0 + r, o = r * np;
                    s.live[r] = false;
                    if (i < p.qSeq()) {
                        kernel.logits(s, o, np);
                        System.arraycopy(s.l4, o, s.logits, 0, np);
                        KeyMasking.apply(p, b, h, i, s.logits, s.bias, np);
                        s.live[r] = Rows.softmax(s.logits, s.p4, o, np);
                    }
                    if (!s.live[r]) {
                        Arrays.fill(s.p4, o, o + np, 0f);
                        Arrays.fill(s.dO4, r * dv, (r + 1) * dv, 0f);
                    }
                }
                RowBlock.products(s.dO4, 0, dv, s.vT, np, s.dS4, 0);
                RowBlock.update(s.dO4, 0, dv, s.p4, np, s.dvT);
                for (int r = 0; r < R; r++) {
                    int o = r * np;
                    if (!s.live[r]) {
                        Arrays.fill(s.dS4, o, o + np, 0f);
                        continue;
                    }
                    Rows.softmaxBackward(s.p4, o, s.dS4, o, np);
                    // P is 0 past the keys, but 0 (dP - D) is not 0 where dP - D overflowed
                    Arrays.fill(s.dS4, o + n, o + np, 0f);
                    kernel.dLogits(s, o, n, np);
                }
                RowBlock.dots(s.dS4, s.kT, np, d, s.dq4, 0);
                RowBlock.update(s.q4, 0, d, s.dS4, np, s.dkT);
                for (int r = 0; r < R && i0 + r < p.qSeq(); r++) {
                    int qo = ((b * p.qHeads() + h) * p.qSeq() + i0 + r) * d;
                    if (s.live[r]) for (int x = 0; x < d; x++) dq[qo + x] = c * s.dq4[r * d + x];
                }
            }
        }
        int kBase = ((b * p.kvHeads() + kh) * n) * d;
        Transposed.store(s.dkT, np, dk, kBase, n, d);
        Transposed.store(s.dvT, np, dvv, ((b * p.kvHeads() + kh) * n) * dv, n, dv);
        kernel.endHead(p, b, kh, s, dk, kBase);
    }
}
