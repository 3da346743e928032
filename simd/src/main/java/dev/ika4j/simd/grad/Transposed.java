/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;

/** [key][feature] rows to and from the [feature][padded key] layout of the backward loops. */
final class Transposed {
    private Transposed() {}

    /** Rows [0, n) of head (b, h) of {@code t} into dst[c * np + j]; padding zeroed. */
    static void load(Tensor t, int b, int h, int n, int np, float[] dst, float[] row) {
        int d = t.dim();
        java.util.Arrays.fill(dst, 0, d * np, 0f);
        for (int j = 0; j < n; j++) {
            t.readRow(b, h, j, row, 0);
            for (int c = 0; c < d; c++) dst[c * np + j] = row[c];
        }
    }

    /** src[c * np + j] for j < n into dst[off + j * d + c]. */
    static void store(float[] src, int np, float[] dst, int off, int n, int d) {
        for (int j = 0; j < n; j++)
            for (int c = 0; c < d; c++) dst[off + j * d + c] = src[c * np + j];
    }
}
