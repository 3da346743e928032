/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.WorkPool;
import java.util.Arrays;

/**
 * Standard attention's scores at one {@link ScoreStage} (the ONNX output qk_matmul_output) in
 * plain Java, a pass of its own beside {@link PortableAttention} as in simd. The keys of a kv head
 * are packed transposed once ({@code kt[d][j]}), so a query row's scores are the row updates
 * {@code s[j] += q[d] * kt[d][j]} C2 vectorises ({@link RowOps}); then, as the stage asks,
 * soft-capping, the masks ({@link PortableAttention#mask}, the reference's -inf rules) and the
 * softmax. One task per (batch, q head), the q heads of one kv head in a row.
 */
final class PortableScores {
    private PortableScores() {}

    private static final class Scratch {
        float[][] kt = new float[0][];
        float[] q = new float[0], s = new float[0], keyRow = new float[0];
        int b = -1, kh = -1;
    }

    /** Fills {@code scores} (heap BHSD [batch, q_heads, q_seq, kv_seq]) at {@code p.scoresOutput()}. */
    static void compute(AttentionProblem p, Tensor scores, WorkPool pool) {
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey());
        pool.run(p.batch() * p.qHeads(), parallel, Scratch::new, (w, task) -> head(p, scores, w, task), w -> {});
    }

    private static void head(AttentionProblem p, Tensor scores, Scratch w, int task) {
        int b = task / p.qHeads(), h = task % p.qHeads(), kh = p.kvHead(h);
        int dim = p.dim(), n = p.kvSeq();
        if (w.b != b || w.kh != kh) {
            if (w.kt.length != dim || (dim > 0 && w.kt[0].length < n)) w.kt = new float[dim][n];
            if (w.keyRow.length < dim) w.keyRow = new float[dim];
            for (int j = 0; j < n; j++) {
                p.presentKey().readRow(b, kh, j, w.keyRow, 0);
                for (int d = 0; d < dim; d++) w.kt[d][j] = w.keyRow[d];
            }
            w.b = b;
            w.kh = kh;
        }
        if (w.q.length < dim) w.q = new float[dim];
        if (w.s.length < n) w.s = new float[n];
        float[] q = w.q, s = w.s;
        ScoreStage stage = p.scoresOutput();
        for (int i = 0; i < p.qSeq(); i++) {
            p.q().readRow(b, h, i, q, 0);
            RowOps.scale(q, dim, p.scale());
            Arrays.fill(s, 0, n, 0f);
            for (int d = 0; d < dim; d++) RowOps.axpy(w.kt[d], n, q[d], s);
            if (stage != ScoreStage.SCALED_QK && p.softcap() > 0) {
                float cap = p.softcap();
                for (int j = 0; j < n; j++) s[j] = cap * (float) Math.tanh(s[j] / cap);
            }
            if (stage == ScoreStage.AFTER_MASK || stage == ScoreStage.AFTER_SOFTMAX) {
                PortableAttention.mask(p, b, h, i, s, 0, n);
                if (stage == ScoreStage.AFTER_SOFTMAX) softmax(s, n);
            }
            System.arraycopy(s, 0, scores.array(), (int) scores.offset(b, h, i), n);
        }
    }

    /** NaN or +inf anywhere: a NaN row; every key masked: zeros; else exp(s - max) / sum. */
    private static void softmax(float[] s, int n) {
        float max = RowOps.maxIgnoringNaN(s, n);
        boolean nan = max == Float.POSITIVE_INFINITY;
        for (int j = 0; j < n && !nan; j++) nan = Float.isNaN(s[j]);
        if (nan) {
            Arrays.fill(s, 0, n, Float.NaN);
        } else if (max == Float.NEGATIVE_INFINITY) {
            Arrays.fill(s, 0, n, 0f);
        } else {
            float sum = RowOps.expShift(s, n, max);
            RowOps.scale(s, n, 1f / sum);
        }
    }
}
