/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.MaskRows;
import dev.ika4j.simd.internal.ScratchPool;
import dev.ika4j.simd.internal.WorkPool;
import java.util.Arrays;

/**
 * Fused standard attention in plain Java, float32, for JVMs without the Vector API: the same
 * blocked online softmax as the simd kernels (no [q_seq, kv_seq] matrix, FlashAttention-style),
 * with every inner loop a {@link RowOps row update} that C2 vectorises by itself.
 *
 * <p>Both products are turned into row updates by the layout. Keys are packed transposed per
 * block of {@link #KEY_BLOCK} keys ({@code kt[block][d][j]}), so the logits of a query row are
 * {@code s[j] += q[d] * kt[block][d][j]} over d, not a dot product per key; values stay rows
 * ({@code v[j][c]}), so P.V is {@code acc[c] += p[j] * v[j][c]} over j. Four query rows share
 * each load of a key or value row.
 *
 * <p>Work is split into tasks of one query block of one (batch, q head), ordered so that the q
 * heads of one kv head follow each other and a worker reuses its packed keys and values.
 *
 * <p>Why it is fast only with FMA: C2 vectorises a loop only after unrolling it, and unrolls only
 * a body under its {@code LoopUnrollLimit}; the 4x4 tile updates written as multiplies and adds
 * were over it and ran scalar inside the kernel, while as {@link Math#fma} chains they are under
 * it and vectorise ({@link RowOps#FUSED}: about 2.5x on the whole kernel). The exponentials are
 * {@link Math#exp} one at a time (C2 has no vector form for it), now a large share of the time.
 */
final class PortableAttention {
    /** Query rows per task: 8 heads x 512 rows make 128 tasks, enough to balance a few threads. */
    static final int QUERY_BLOCK = 32;
    /**
     * Keys per softmax step: long rows keep C2's vector loops in their main part; a 4-row group's
     * logits (4 x 256 floats) and a key row stay in L1.
     */
    static final int KEY_BLOCK = 256;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private PortableAttention() {}

    /** One worker's private state, recycled across calls; {@link #prepare} resets it per call. */
    static final class Scratch {
        float[][][] kt = new float[0][][];
        float[][] v = new float[0][];
        boolean[] finiteBlock = new boolean[0];
        Tensor boundK, boundV;
        int boundB = -1, boundKh = -1, packedK, packedV;
        float[][] q = new float[QUERY_BLOCK][0];
        float[][] s = new float[QUERY_BLOCK][KEY_BLOCK];
        float[][] acc = new float[QUERY_BLOCK][0];
        final float[] m = new float[QUERY_BLOCK], l = new float[QUERY_BLOCK];
        float[] keyRow = new float[0];

        void prepare(AttentionProblem p) {
            // The caller may have refilled a tensor since the last call: never trust old packing.
            boundK = boundV = null;
            int blocks = (p.kvSeq() + KEY_BLOCK - 1) / KEY_BLOCK;
            if (kt.length < blocks || (blocks > 0 && kt[0].length != p.dim())) {
                kt = new float[blocks][p.dim()][KEY_BLOCK];
                finiteBlock = new boolean[blocks];
            }
            if (v.length < p.kvSeq() || (p.kvSeq() > 0 && v[0].length != p.vDim())) v = new float[p.kvSeq()][p.vDim()];
            if (q[0].length != p.dim()) q = new float[QUERY_BLOCK][p.dim()];
            if (acc[0].length != p.vDim()) acc = new float[QUERY_BLOCK][p.vDim()];
            if (keyRow.length < p.dim()) keyRow = new float[p.dim()];
        }

        /** Packs keys and values of (b, kh) up to key {@code end}, rounded up to whole blocks. */
        void bind(AttentionProblem p, int b, int kh, int end) {
            if (boundK != p.presentKey() || boundV != p.presentValue() || boundB != b || boundKh != kh) {
                boundK = p.presentKey();
                boundV = p.presentValue();
                boundB = b;
                boundKh = kh;
                packedK = packedV = 0;
            }
            int upTo = Math.min(p.kvSeq(), (end + KEY_BLOCK - 1) / KEY_BLOCK * KEY_BLOCK);
            for (int j = packedK; j < upTo; j++) {
                p.presentKey().readRow(b, kh, j, keyRow, 0);
                float[][] block = kt[j / KEY_BLOCK];
                int col = j % KEY_BLOCK;
                for (int d = 0; d < p.dim(); d++) block[d][col] = keyRow[d];
            }
            packedK = Math.max(packedK, upTo);
            for (int j = packedV; j < upTo; j++) {
                if (j % KEY_BLOCK == 0) finiteBlock[j / KEY_BLOCK] = true;
                float[] row = v[j];
                p.presentValue().readRow(b, kh, j, row, 0);
                for (float x : row) {
                    if (!Float.isFinite(x)) {
                        finiteBlock[j / KEY_BLOCK] = false;
                        break;
                    }
                }
            }
            packedV = Math.max(packedV, upTo);
        }
    }

    /** Computes the whole problem on {@code pool}, taking worker scratch from {@code scratch}. */
    static void compute(AttentionProblem p, Tensor out, Tensor energy, WorkPool pool, ScratchPool<Scratch> scratch) {
        int blocks = (p.qSeq() + QUERY_BLOCK - 1) / QUERY_BLOCK;
        int tasks = p.batch() * p.qHeads() * blocks;
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey(), p.presentValue(), out, energy);
        pool.run(tasks, parallel, () -> {
            Scratch w = scratch.take(Scratch::new);
            w.prepare(p);
            return w;
        }, (w, task) -> {
            int qb = task % blocks;
            int rest = task / blocks;
            int g = rest % p.group();
            rest /= p.group();
            int kh = rest % p.kvHeads();
            int b = rest / p.kvHeads();
            // Causal blocks grow with their index: the largest first leaves small ones to fill gaps.
            if (p.causal()) qb = blocks - 1 - qb;
            int i0 = qb * QUERY_BLOCK;
            queryBlock(p, out, energy, w, b, kh * p.group() + g, kh, i0, Math.min(QUERY_BLOCK, p.qSeq() - i0));
        }, scratch::give);
    }

    /** Rows [i0, i0 + rows) of (b, h). */
    static void queryBlock(AttentionProblem p, Tensor out, Tensor energy, Scratch w, int b, int h, int kh, int i0, int rows) {
        // keyLimit grows with i: the block's last row bounds every key it can see (causal skip).
        int keyEnd = p.keyLimit(b, i0 + rows - 1);
        w.bind(p, b, kh, keyEnd);
        float[][] q = w.q, s = w.s, acc = w.acc;
        float[] m = w.m, l = w.l;
        for (int r = 0; r < rows; r++) {
            p.q().readRow(b, h, i0 + r, q[r], 0);
            RowOps.scale(q[r], p.dim(), p.scale()); // folded into Q once, not applied to every logit
            Arrays.fill(acc[r], 0f);
        }
        Arrays.fill(m, 0, rows, NEG_INF);
        Arrays.fill(l, 0, rows, 0f);
        for (int j0 = 0; j0 < keyEnd; j0 += KEY_BLOCK) {
            int width = Math.min(KEY_BLOCK, keyEnd - j0);
            logits(q, rows, p.dim(), w.kt[j0 / KEY_BLOCK], width, s);
            for (int r = 0; r < rows; r++) {
                float[] sr = s[r];
                int i = i0 + r;
                if (p.softcap() > 0) softcap(sr, width, p.softcap());
                mask(p, b, h, i, sr, j0, width);
                if (energy != null) writeEnergy(energy, b, h, i, j0, sr, width);
                float blockMax = RowOps.maxIgnoringNaN(sr, width);
                float mNew = Math.max(m[r], blockMax);
                // While every key so far is masked, mNew is -inf and -inf - -inf would be NaN;
                // shifting by 0 instead makes every weight exp(-inf) = 0.
                float shift = mNew == NEG_INF ? 0f : mNew;
                float alpha = (float) Math.exp(m[r] - shift);
                l[r] = l[r] * alpha + RowOps.expShift(sr, width, shift);
                if (alpha != 1f) RowOps.scale(acc[r], p.vDim(), alpha);
                m[r] = mNew;
            }
            values(s, rows, w.v, j0, width, p.vDim(), acc, w.finiteBlock[j0 / KEY_BLOCK]);
        }
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            if (energy != null) fillEnergy(energy, b, h, i, keyEnd, p.kvSeq());
            // l == 0: every key of the row is masked; the documented result is a row of zeros.
            if (l[r] == 0f) Arrays.fill(acc[r], 0f);
            else RowOps.scale(acc[r], p.vDim(), 1f / l[r]);
            out.writeRow(b, h, i, acc[r], 0);
        }
    }

    /** s[r][0..width) = q[r] . k_j for the keys of one packed block: four rows per pass over it. */
    private static void logits(float[][] q, int rows, int dim, float[][] kt, int width, float[][] s) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) logits4(q[r], q[r + 1], q[r + 2], q[r + 3], dim, kt, width, s[r], s[r + 1], s[r + 2], s[r + 3]);
        for (; r < rows; r++) {
            float[] qr = q[r], sr = s[r];
            Arrays.fill(sr, 0, width, 0f);
            for (int d = 0; d < dim; d++) RowOps.axpy(kt[d], width, qr[d], sr);
        }
    }

    /**
     * One group of four rows. A method of its own, with the loops over d and j alone inside it:
     * C2 vectorised the j loop reliably only in this shape.
     */
    private static void logits4(float[] q0, float[] q1, float[] q2, float[] q3, int dim, float[][] kt, int width,
                                float[] s0, float[] s1, float[] s2, float[] s3) {
        Arrays.fill(s0, 0, width, 0f);
        Arrays.fill(s1, 0, width, 0f);
        Arrays.fill(s2, 0, width, 0f);
        Arrays.fill(s3, 0, width, 0f);
        int d = 0;
        for (; d + 4 <= dim; d += 4) {
            RowOps.axpy4x4(kt[d], kt[d + 1], kt[d + 2], kt[d + 3], width,
                    q0[d], q0[d + 1], q0[d + 2], q0[d + 3], q1[d], q1[d + 1], q1[d + 2], q1[d + 3],
                    q2[d], q2[d + 1], q2[d + 2], q2[d + 3], q3[d], q3[d + 1], q3[d + 2], q3[d + 3], s0, s1, s2, s3);
        }
        for (; d < dim; d++) RowOps.axpy4(kt[d], width, q0[d], q1[d], q2[d], q3[d], s0, s1, s2, s3);
    }

    /**
     * acc[r] += sum_j p[r][j] v[j0 + j]. Where a value in the block is not finite, keys of weight
     * 0 (masked, or vanished in exp) are skipped, so that 0 x NaN cannot reach a row that never
     * saw that key.
     */
    private static void values(float[][] pw, int rows, float[][] v, int j0, int width, int vDim, float[][] acc,
                               boolean finite) {
        int r = 0;
        if (finite) {
            for (; r + 4 <= rows; r += 4) {
                values4(pw[r], pw[r + 1], pw[r + 2], pw[r + 3], v, j0, width, vDim, acc[r], acc[r + 1], acc[r + 2], acc[r + 3]);
            }
        }
        for (; r < rows; r++) {
            float[] pr = pw[r], ar = acc[r];
            for (int j = 0; j < width; j++) {
                if (finite || pr[j] != 0f) RowOps.axpy(v[j0 + j], vDim, pr[j], ar);
            }
        }
    }

    /** Four rows of {@link #values} on finite values; a method of its own for the vectoriser, as {@link #logits4}. */
    private static void values4(float[] p0, float[] p1, float[] p2, float[] p3, float[][] v, int j0, int width, int vDim,
                                float[] a0, float[] a1, float[] a2, float[] a3) {
        int j = 0;
        for (; j + 4 <= width; j += 4) {
            int k = j0 + j;
            RowOps.axpy4x4v(v[k], v[k + 1], v[k + 2], v[k + 3], vDim,
                    p0[j], p0[j + 1], p0[j + 2], p0[j + 3], p1[j], p1[j + 1], p1[j + 2], p1[j + 3],
                    p2[j], p2[j + 1], p2[j + 2], p2[j + 3], p3[j], p3[j + 1], p3[j + 2], p3[j + 3], a0, a1, a2, a3);
        }
        for (; j < width; j++) RowOps.axpy4(v[j0 + j], vDim, p0[j], p1[j], p2[j], p3[j], a0, a1, a2, a3);
    }

    private static void softcap(float[] s, int n, float cap) {
        for (int j = 0; j < n; j++) s[j] = cap * (float) Math.tanh(s[j] / cap);
    }

    /**
     * Masks logits s[0..width) of keys [j0, j0 + width) of row (b, h, i): keys at or past
     * {@link AttentionProblem#keyLimit} and keys whose bias is -inf become exactly -inf whatever
     * the logit was (NaN in a masked key cannot leak); the rest get the additive bias. The same
     * rules, in the same order, as the reference backend.
     */
    static void mask(AttentionProblem p, int b, int h, int i, float[] s, int j0, int width) {
        int valid = Math.clamp((long) p.keyLimit(b, i) - j0, 0, width);
        if (p.mask() != null && valid > 0) applyMask(p.mask(), b, h, i, s, j0, valid);
        Arrays.fill(s, valid, width, NEG_INF);
    }

    private static void applyMask(MaskRows mask, int b, int h, int i, float[] s, int j0, int n) {
        int base = mask.rowOffset(b, h, i);
        boolean[] allowed = mask.booleanData();
        float[] bias = mask.additiveData();
        if (mask.broadcastsColumns()) {
            float v = allowed != null ? (allowed[base] ? 0f : NEG_INF) : bias[base];
            if (v == NEG_INF) Arrays.fill(s, 0, n, NEG_INF);
            else if (v != 0f) for (int k = 0; k < n; k++) s[k] += v;
            return;
        }
        // Keys past the mask's stored columns are masked (ONNX pads a short mask with -inf).
        int stored = Math.clamp((long) mask.columns() - j0, 0, n);
        Arrays.fill(s, stored, n, NEG_INF);
        int m0 = base + j0;
        if (allowed != null) {
            for (int k = 0; k < stored; k++) if (!allowed[m0 + k]) s[k] = NEG_INF;
        } else {
            for (int k = 0; k < stored; k++) {
                float bv = bias[m0 + k];
                s[k] = bv == NEG_INF ? NEG_INF : s[k] + bv; // -inf + (+inf or NaN) would be NaN
            }
        }
    }

    private static void writeEnergy(Tensor energy, int b, int h, int i, int j0, float[] s, int n) {
        if (energy.isHeap()) {
            System.arraycopy(s, 0, energy.array(), (int) (energy.offset(b, h, i) + j0), n);
        } else {
            for (int j = 0; j < n; j++) energy.set(b, h, i, j0 + j, s[j]);
        }
    }

    /** Energy columns [from, to) of row (b, h, i): keys no block visited, so -inf. */
    private static void fillEnergy(Tensor energy, int b, int h, int i, int from, int to) {
        for (int j = from; j < to; j++) energy.set(b, h, i, j, NEG_INF);
    }
}
