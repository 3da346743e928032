/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * The scale folded into Q once (q' = scale * q, so no logit needs its own multiply), and the way
 * out when that fold overflows: a finite q times a large scale can be inf in float32 while the
 * logit scale * (q . k) is finite (q = 1e38 with k = 1e-30 and scale 100). Rows whose fold
 * overflowed are flagged, and their logits recomputed from the unscaled q in float64, as the
 * reference computes them; the common path only pays one finiteness scan of the scaled block.
 * Stateless and thread-safe.
 */
public final class ScaleFold {
    private ScaleFold() {}

    /**
     * Scales q[off .. off + rows * dim) by {@code scale} and returns whether any row may have
     * overflowed or underflowed; {@code flagged[r]} says which (cleared otherwise). Only a scale
     * above 1 in magnitude can overflow a finite q, and then any row with an infinite component is
     * flagged (one that was infinite already loses nothing by the exact recomputation); a row with
     * a nonzero component whose product falls below the normal range is flagged too.
     */
    public static boolean apply(float[] q, int off, int rows, int dim, float scale, boolean[] flagged) {
        // Underflow too: a nonzero q whose product with the scale falls below the normal range
        // loses its value (to 0 or a few bits), and against a huge or infinite k that changes
        // the logit (1.4e-45 * 0.25 is 0 in float32, and 0 * inf is NaN where the exact logit is inf).
        float tiny = Float.MIN_NORMAL / Math.max(Math.abs(scale), Float.MIN_NORMAL);
        boolean underflow = scale != 0f && VectorMath.anyNonZeroBelow(q, off, rows * dim, tiny);
        if (underflow) {
            for (int r = 0; r < rows; r++) flagged[r] = VectorMath.anyNonZeroBelow(q, off + r * dim, dim, tiny);
        }
        VectorMath.scale(q, off, rows * dim, scale);
        if (!underflow && (Math.abs(scale) <= 1f || VectorMath.allFinite(q, off, rows * dim))) return false;
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            boolean f = underflow && flagged[r];
            for (int c = 0; c < dim && !f; c++) f = Math.abs(scale) > 1f && Float.isInfinite(q[off + r * dim + c]);
            flagged[r] = f;
            any |= f;
        }
        return any;
    }

    /** One worker's record of the current query block's overflowed rows. Not thread-safe. */
    public static final class State {
        /** Per row of the block: whether its fold overflowed. */
        public final boolean[] flagged;
        boolean any;
        private int b, h, kh, i0, keyEnd;
        private float[] qRow = new float[0], kRow = new float[0];

        public State(int maxRows) {
            this.flagged = new boolean[maxRows];
        }

        /** Starts query block [i0, ...) of (b, h) whose rows see keys below keyEnd. */
        public void begin(boolean any, int b, int h, int kh, int i0, int keyEnd) {
            this.any = any;
            this.b = b;
            this.h = h;
            this.kh = kh;
            this.i0 = i0;
            this.keyEnd = keyEnd;
        }

        /** Replaces the flagged rows' logits of keys [j0, j0 + width) in s (row r at r * ld) by exact ones. */
        public void exactRows(AttentionProblem p, float[] s, int ld, int rows, int j0, int width) {
            if (qRow.length < p.dim()) {
                qRow = new float[p.dim()];
                kRow = new float[p.dim()];
            }
            int n = Math.max(0, Math.min(width, Math.min(keyEnd, p.kvSeq()) - j0));
            for (int r = 0; r < rows; r++) {
                if (flagged[r]) exactLogits(p, b, h, kh, i0 + r, j0, n, s, r * ld, qRow, kRow);
            }
        }
    }

    /**
     * Logits s[off + t] = scale * (q . k_{j0+t}) in float64 for t &lt; n, q the unscaled query row
     * i of (b, h) read into {@code qRow}, keys read through {@code kRow} (scratch of dim floats).
     */
    public static void exactLogits(AttentionProblem p, int b, int h, int kh, int i, int j0, int n, float[] s, int off,
                                   float[] qRow, float[] kRow) {
        int dim = p.dim();
        p.q().readRow(b, h, i, qRow, 0);
        Tensor k = p.presentKey();
        for (int t = 0; t < n; t++) {
            k.readRow(b, kh, j0 + t, kRow, 0);
            double dot = 0;
            for (int c = 0; c < dim; c++) dot += (double) qRow[c] * kRow[c];
            s[off + t] = (float) (p.scale() * dot);
        }
    }
}
