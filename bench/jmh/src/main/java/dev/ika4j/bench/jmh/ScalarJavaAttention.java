/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

/**
 * Attention the way one writes it without a library: per query row, scores, max, exp, sum and the
 * weighted sum of values, in plain float loops that the JIT compiles as it likes. Causal rows stop
 * at their own position. The "no library" baseline of the benchmark tables.
 */
final class ScalarJavaAttention {
    private ScalarJavaAttention() {}

    static final int ROW_BLOCK = 16;

    /**
     * Computes the rows (of all {@code headCount} = batch*heads heads, flattened) that lie in the
     * blocks of {@link #ROW_BLOCK} rows with {@code block % stride == phase}: blocks are dealt out
     * round-robin so that causal rows, whose cost grows with their position, balance across threads.
     */
    static void rows(float[] q, float[] k, float[] v, float[] out, int headCount, int seq, int dim, float scale,
                     boolean causal, int phase, int stride, float[] scores) {
        int totalRows = headCount * seq;
        for (int block = phase; block * ROW_BLOCK < totalRows; block += stride) {
            int end = Math.min(totalRows, (block + 1) * ROW_BLOCK);
            for (int r = block * ROW_BLOCK; r < end; r++) {
                int head = r / seq, i = r % seq;
                row(q, k, v, out, head * seq * dim, i, causal ? i + 1 : seq, dim, scale, scores);
            }
        }
    }

    /** One query row against keys [0, limit) of the head whose rows start at {@code base}. */
    static void row(float[] q, float[] k, float[] v, float[] out, int base, int i, int limit, int dim, float scale,
                    float[] scores) {
        int qo = base + i * dim;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < limit; j++) {
            int ko = base + j * dim;
            float dot = 0f;
            for (int c = 0; c < dim; c++) dot += q[qo + c] * k[ko + c];
            float s = dot * scale;
            scores[j] = s;
            if (s > max) max = s;
        }
        float sum = 0f;
        for (int j = 0; j < limit; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        for (int c = 0; c < dim; c++) out[qo + c] = 0f;
        for (int j = 0; j < limit; j++) {
            float w = scores[j];
            int vo = base + j * dim;
            for (int c = 0; c < dim; c++) out[qo + c] += w * v[vo + c];
        }
        float inv = 1f / sum;
        for (int c = 0; c < dim; c++) out[qo + c] *= inv;
    }
}
