/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Standard attention's scores at one {@link ScoreStage} (the ONNX output qk_matmul_output), in a
 * pass of their own beside the fused kernel: the fused kernel never forms the [q_seq, kv_seq]
 * matrix, and a caller who asks for it pays for writing it anyway, so a separate pass that forms
 * each row once costs little more and keeps the fused kernel free of the option.
 *
 * <p>One task per (batch, q head), ordered so that the q heads sharing a kv head follow each
 * other and reuse its keys, packed once per kv head into tiles of {@code LANES} keys stored
 * component-major (tile t, component c: the c-th components of keys tL .. tL+L-1, zero-padded
 * past kv_seq). Q.K^T then needs no horizontal sum: for 4 query rows and 2 key tiles at a time,
 * each component c is one broadcast of q[c] per row and one load per tile into 8 independent FMA
 * chains, L scores per vector. Then per row, as the stage asks: soft-capping, the masks
 * ({@link LogitMask}, the reference's -inf rules) and the softmax. Each score is one FMA chain
 * over c in order, whichever row group or tile computes it, so results do not depend on the
 * thread count or the shape of the blocking.
 */
public final class AttentionScores {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int ROWS = 4;

    private AttentionScores() {}

    /** One worker's buffers and the kv head whose packed keys {@code keys} holds. */
    private static final class Scratch {
        float[] keys = new float[0];
        float[] row = new float[0];
        float[] q = new float[0];
        float[] s = new float[0];
        int b = -1, kh = -1;
    }

    /** Fills {@code scores} (heap BHSD [batch, q_heads, q_seq, kv_seq]) at {@code p.scoresOutput()}. */
    public static void compute(AttentionProblem p, Tensor scores, WorkPool pool) {
        if (!scores.isHeap() || scores.layout() != Tensor.Layout.BHSD || scores.dim() != p.kvSeq()) {
            throw new IllegalArgumentException("scores must be a heap BHSD tensor of " + p.kvSeq() + " columns, got "
                    + scores.shapeString());
        }
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey());
        pool.run(p.batch() * p.qHeads(), parallel, Scratch::new, (w, task) -> head(p, scores, w, task), w -> {});
    }

    private static void head(AttentionProblem p, Tensor scores, Scratch w, int task) {
        int b = task / p.qHeads(), h = task % p.qHeads(), kh = p.kvHead(h);
        int dim = p.dim(), n = p.kvSeq(), tiles = (n + L - 1) / L, width = tiles * L;
        if (w.b != b || w.kh != kh) {
            pack(p, w, b, kh, tiles);
            w.b = b;
            w.kh = kh;
        }
        if (w.q.length < ROWS * dim) w.q = new float[ROWS * dim];
        if (w.s.length < ROWS * width) w.s = new float[ROWS * width];
        float[] q = w.q, kt = w.keys, s = w.s;
        ScoreStage stage = p.scoresOutput();
        for (int i0 = 0; i0 < p.qSeq(); i0 += ROWS) {
            int rows = Math.min(ROWS, p.qSeq() - i0);
            for (int r = 0; r < rows; r++) p.q().readRow(b, h, i0 + r, q, r * dim);
            VectorMath.scale(q, 0, rows * dim, p.scale());
            if (rows == ROWS) {
                int t = 0;
                for (; t + 2 <= tiles; t += 2) rows4Tiles2(q, dim, kt, t, s, width);
                if (t < tiles) rows4Tile1(q, dim, kt, t, s, width);
            } else {
                for (int r = 0; r < rows; r++) {
                    int t = 0;
                    for (; t + 4 <= tiles; t += 4) row1Tiles4(q, r * dim, dim, kt, t, s, r * width);
                    for (; t < tiles; t++) row1Tile1(q, r * dim, dim, kt, t, s, r * width);
                }
            }
            for (int r = 0; r < rows; r++) {
                int off = r * width, i = i0 + r;
                if (stage != ScoreStage.SCALED_QK && p.softcap() > 0) softcap(s, off, n, p.softcap());
                if (stage == ScoreStage.AFTER_MASK || stage == ScoreStage.AFTER_SOFTMAX) {
                    LogitMask.apply(p, b, h, i, s, off, 0, n);
                    if (stage == ScoreStage.AFTER_SOFTMAX) softmax(s, off, n);
                }
                System.arraycopy(s, off, scores.array(), (int) scores.offset(b, h, i), n);
            }
        }
    }

    /** Keys of (b, kh) into tiles of L keys, component-major, zeros past kv_seq. */
    private static void pack(AttentionProblem p, Scratch w, int b, int kh, int tiles) {
        int dim = p.dim(), n = p.kvSeq();
        int size = tiles * dim * L;
        if (w.keys.length < size) w.keys = new float[size];
        if (w.row.length < dim) w.row = new float[dim];
        float[] kt = w.keys, row = w.row;
        for (int j = 0; j < n; j++) {
            p.presentKey().readRow(b, kh, j, row, 0);
            int base = (j / L) * dim * L + j % L;
            for (int c = 0; c < dim; c++) kt[base + c * L] = row[c];
        }
        for (int j = n; j < tiles * L; j++) {
            int base = (j / L) * dim * L + j % L;
            for (int c = 0; c < dim; c++) kt[base + c * L] = 0f;
        }
    }

    /** Rows 0-3 of q against tiles t and t+1: 8 accumulators, one key load per 4 FMAs. */
    private static void rows4Tiles2(float[] q, int dim, float[] kt, int t, float[] s, int ld) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int k0 = t * dim * L, k1 = k0 + dim * L;
        for (int c = 0; c < dim; c++) {
            FloatVector x = FloatVector.fromArray(SP, kt, k0 + c * L);
            FloatVector y = FloatVector.fromArray(SP, kt, k1 + c * L);
            FloatVector w = FloatVector.broadcast(SP, q[c]);
            a0 = VectorMath.fma(x, w, a0);
            b0 = VectorMath.fma(y, w, b0);
            w = FloatVector.broadcast(SP, q[dim + c]);
            a1 = VectorMath.fma(x, w, a1);
            b1 = VectorMath.fma(y, w, b1);
            w = FloatVector.broadcast(SP, q[2 * dim + c]);
            a2 = VectorMath.fma(x, w, a2);
            b2 = VectorMath.fma(y, w, b2);
            w = FloatVector.broadcast(SP, q[3 * dim + c]);
            a3 = VectorMath.fma(x, w, a3);
            b3 = VectorMath.fma(y, w, b3);
        }
        int o = t * L;
        a0.intoArray(s, o);
        b0.intoArray(s, o + L);
        a1.intoArray(s, ld + o);
        b1.intoArray(s, ld + o + L);
        a2.intoArray(s, 2 * ld + o);
        b2.intoArray(s, 2 * ld + o + L);
        a3.intoArray(s, 3 * ld + o);
        b3.intoArray(s, 3 * ld + o + L);
    }

    /** Rows 0-3 of q against tile t alone (an odd last tile). */
    private static void rows4Tile1(float[] q, int dim, float[] kt, int t, float[] s, int ld) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
        int k0 = t * dim * L;
        for (int c = 0; c < dim; c++) {
            FloatVector x = FloatVector.fromArray(SP, kt, k0 + c * L);
            a0 = VectorMath.fma(x, FloatVector.broadcast(SP, q[c]), a0);
            a1 = VectorMath.fma(x, FloatVector.broadcast(SP, q[dim + c]), a1);
            a2 = VectorMath.fma(x, FloatVector.broadcast(SP, q[2 * dim + c]), a2);
            a3 = VectorMath.fma(x, FloatVector.broadcast(SP, q[3 * dim + c]), a3);
        }
        int o = t * L;
        a0.intoArray(s, o);
        a1.intoArray(s, ld + o);
        a2.intoArray(s, 2 * ld + o);
        a3.intoArray(s, 3 * ld + o);
    }

    /**
     * The row at q[qOff] against tiles t .. t+3 (query-block tails, decoding): four independent
     * FMA chains, so the FMA latency is hidden where only one query row is there to share a load.
     */
    private static void row1Tiles4(float[] q, int qOff, int dim, float[] kt, int t, float[] s, int sOff) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
        int tile = dim * L, k0 = t * tile;
        for (int c = 0; c < dim; c++) {
            FloatVector w = FloatVector.broadcast(SP, q[qOff + c]);
            int o = k0 + c * L;
            a0 = VectorMath.fma(FloatVector.fromArray(SP, kt, o), w, a0);
            a1 = VectorMath.fma(FloatVector.fromArray(SP, kt, o + tile), w, a1);
            a2 = VectorMath.fma(FloatVector.fromArray(SP, kt, o + 2 * tile), w, a2);
            a3 = VectorMath.fma(FloatVector.fromArray(SP, kt, o + 3 * tile), w, a3);
        }
        int o = sOff + t * L;
        a0.intoArray(s, o);
        a1.intoArray(s, o + L);
        a2.intoArray(s, o + 2 * L);
        a3.intoArray(s, o + 3 * L);
    }

    /** The row at q[qOff] against tile t (query-block tails, decoding), into s[sOff + tL ..]. */
    private static void row1Tile1(float[] q, int qOff, int dim, float[] kt, int t, float[] s, int sOff) {
        FloatVector a = FloatVector.zero(SP);
        int k0 = t * dim * L;
        for (int c = 0; c < dim; c++) a = VectorMath.fma(FloatVector.fromArray(SP, kt, k0 + c * L), FloatVector.broadcast(SP, q[qOff + c]), a);
        a.intoArray(s, sOff + t * L);
    }

    /** s = cap * tanh(s / cap) over s[off .. off+n). */
    private static void softcap(float[] s, int off, int n, float cap) {
        float inv = 1f / cap;
        int j = 0;
        for (; j + L <= n; j += L) {
            VectorMath.tanh(FloatVector.fromArray(SP, s, off + j).mul(inv)).mul(cap).intoArray(s, off + j);
        }
        for (; j < n; j++) s[off + j] = cap * VectorMath.tanh(s[off + j] * inv);
    }

    /**
     * The row softmax in place, with the reference's rules: NaN or +inf anywhere makes the row NaN
     * (exp(inf - inf) would), a row with every key masked becomes zeros, a masked key gets 0.
     */
    private static void softmax(float[] s, int off, int n) {
        float max = VectorMath.maxIgnoringNaN(s, off, n);
        if (max == Float.POSITIVE_INFINITY || hasNaN(s, off, n)) {
            Arrays.fill(s, off, off + n, Float.NaN);
            return;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            Arrays.fill(s, off, off + n, 0f);
            return;
        }
        float sum = VectorMath.expShiftSum(s, off, n, max);
        VectorMath.scale(s, off, n, 1f / sum);
    }

    private static boolean hasNaN(float[] s, int off, int n) {
        for (int j = 0; j < n; j++) if (Float.isNaN(s[off + j])) return true;
        return false;
    }
}
