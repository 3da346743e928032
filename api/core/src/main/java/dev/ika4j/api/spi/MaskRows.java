/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionMask;
import java.util.Arrays;
import java.util.Objects;

/**
 * A backend's view of an {@link AttentionMask}: its dims right-aligned to rank 4 and the ONNX
 * broadcast resolved, so kernels read a row of biases by (batch, head, query) without caring how
 * the user shaped the mask. Shares the mask's data (no copy).
 */
public final class MaskRows {
    private final AttentionMask mask;
    private final boolean[] allowed;
    private final float[] bias;
    private final int[] dims;   // always 4 entries, left-padded with 1

    private MaskRows(AttentionMask mask) {
        this.mask = mask;
        this.allowed = mask.booleanData();
        this.bias = mask.additiveData();
        int[] given = mask.dims();
        this.dims = new int[] {1, 1, 1, 1};
        System.arraycopy(given, 0, dims, 4 - given.length, given.length);
    }

    /** The view of {@code mask}. */
    public static MaskRows of(AttentionMask mask) {
        return new MaskRows(Objects.requireNonNull(mask, "mask"));
    }

    /** The user's mask this view reads. */
    public AttentionMask mask() { return mask; }

    public boolean isBoolean() { return allowed != null; }

    /** The dims left-padded with 1 to rank 4. */
    public int[] dims4() { return dims.clone(); }

    /**
     * Checks that the mask broadcasts to [batch, heads, qSeq, kvSeq].
     *
     * @throws IllegalArgumentException naming both shapes when it does not
     */
    public void checkBroadcast(int batch, int heads, int qSeq, int kvSeq) {
        int[] target = {batch, heads, qSeq, kvSeq};
        int[] given = mask.dims();
        for (int a = 0; a < 4; a++) {
            boolean ok = dims[a] == 1 || dims[a] == target[a] || (a == 3 && dims[a] < target[a]);
            if (!ok) {
                throw new IllegalArgumentException("attn_mask of shape " + Arrays.toString(given)
                        + " does not broadcast to [batch, q_heads, q_seq, total_kv_seq] = " + Arrays.toString(target)
                        + " (axis " + (a - 4 + given.length) + ": " + dims[a] + " vs " + target[a] + ")");
            }
        }
    }

    /** Index of the first element of row (b, h, i) in the flat data, after broadcasting. */
    public int rowOffset(int b, int h, int i) {
        int bb = dims[0] == 1 ? 0 : b, hh = dims[1] == 1 ? 0 : h, ii = dims[2] == 1 ? 0 : i;
        return ((bb * dims[1] + hh) * dims[2] + ii) * dims[3];
    }

    /** Number of stored key columns (the last dim); later columns are masked out. */
    public int columns() { return dims[3]; }

    /** Whether the last dim broadcasts a single column to every key. */
    public boolean broadcastsColumns() { return dims[3] == 1; }

    /**
     * The additive bias at (b, h, i, j): 0 or -inf for a boolean mask, the value for an additive
     * one, -inf for j past the stored columns.
     */
    public float bias(int b, int h, int i, int j) {
        int col;
        if (dims[3] == 1) {
            col = 0;
        } else if (j < dims[3]) {
            col = j;
        } else {
            return Float.NEGATIVE_INFINITY;
        }
        int idx = rowOffset(b, h, i) + col;
        if (allowed != null) return allowed[idx] ? 0f : Float.NEGATIVE_INFINITY;
        return bias[idx];
    }

    /**
     * Fills {@code out[0 .. kvSeq)} with the biases of row (b, h, i); the fast path for kernels that
     * add a whole row at once.
     */
    public void biasRow(int b, int h, int i, float[] out, int kvSeq) {
        Objects.requireNonNull(out, "out");
        int base = rowOffset(b, h, i);
        if (dims[3] == 1) {
            float v = allowed != null ? (allowed[base] ? 0f : Float.NEGATIVE_INFINITY) : bias[base];
            Arrays.fill(out, 0, kvSeq, v);
            return;
        }
        int n = Math.min(kvSeq, dims[3]);
        if (allowed != null) {
            for (int j = 0; j < n; j++) out[j] = allowed[base + j] ? 0f : Float.NEGATIVE_INFINITY;
        } else {
            System.arraycopy(bias, base, out, 0, n);
        }
        if (n < kvSeq) Arrays.fill(out, n, kvSeq, Float.NEGATIVE_INFINITY);
    }

    /** The boolean data (null for an additive mask); shared, do not modify. */
    public boolean[] booleanData() { return allowed; }

    /** The additive data (null for a boolean mask); shared, do not modify. */
    public float[] additiveData() { return bias; }

    @Override
    public String toString() {
        return mask.toString();
    }
}
