/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The register-tile kernels (Q.K^T on packed keys, online softmax with P.V) against scalar float64
 * loops, over row counts around the 4-row tile, head dims around the vector width, and key counts
 * that leave partial tiles.
 */
class TileKernelsTest {
    static final int[] DIMS = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129};
    static final int[] ROWS = {1, 2, 3, 4, 5, 7, 8, 9, 13};
    private static final int TILE = PackedKeys.TILE;

    private final SplittableRandom rnd = new SplittableRandom(7);

    private Tensor tensor(int seq, int dim) {
        float[] a = new float[seq * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
            if (a[i] == 0f) a[i] = 0.5f;
        }
        return Tensor.bhsd(a, 1, 1, seq, dim);
    }

    @Test
    void packedKeysHoldTheTransposedTilesPaddedWithZeros() {
        for (int seq : new int[] {1, 5, TILE - 1, TILE, TILE + 1, 3 * TILE + 7}) {
            for (int dim : new int[] {1, 3, 17, 64}) {
                Tensor k = tensor(seq, dim);
                PackedKeys pk = new PackedKeys();
                pk.bind(k, 0, 0);
                pk.ensure(seq);
                for (int j = 0; j < PackedKeys.tilesFor(seq) * TILE; j++) {
                    for (int c = 0; c < dim; c++) {
                        float want = j < seq ? k.get(0, 0, j, c) : 0f;
                        assertEquals(want, pk.data()[pk.tileOffset(j / TILE) + c * TILE + j % TILE], 0f,
                                "seq=" + seq + " dim=" + dim + " j=" + j + " c=" + c);
                    }
                }
            }
        }
    }

    @Test
    void packedValuesArePaddedRowsAndFlagNonFiniteTiles() {
        for (int vDim : DIMS) {
            int seq = 2 * TILE + 3;
            Tensor v = tensor(seq, vDim);
            PackedValues pv = new PackedValues();
            pv.bind(v, 0, 0);
            pv.ensure(seq);
            int stride = pv.stride();
            assertEquals(0, stride % VectorMath.LANES);
            assertTrue(stride >= vDim && stride < vDim + VectorMath.LANES);
            for (int j = 0; j < 3 * TILE; j++) {
                for (int c = 0; c < stride; c++) {
                    float want = j < seq && c < vDim ? v.get(0, 0, j, c) : 0f;
                    assertEquals(want, pv.get(j, c), 0f);
                }
            }
            assertTrue(pv.finite(0, 3 * TILE));
        }
        Tensor v = tensor(3 * TILE, 5);
        v.set(0, 0, TILE + 2, 4, Float.POSITIVE_INFINITY);
        PackedValues pv = new PackedValues();
        pv.bind(v, 0, 0);
        pv.ensure(3 * TILE);
        assertTrue(pv.finite(0, TILE));
        assertFalse(pv.finite(TILE, TILE));
        assertFalse(pv.finite(0, 3 * TILE));
        assertTrue(pv.finite(2 * TILE, TILE));
    }

    @Test
    void logitTilesMatchScalarDotProducts() {
        for (int dim : DIMS) {
            for (int rows : ROWS) {
                Tensor k = tensor(TILE, dim);
                PackedKeys pk = new PackedKeys();
                pk.bind(k, 0, 0);
                pk.ensure(TILE);
                float[] q = tensor(rows, dim).toArray();
                int ld = TILE + 5;
                float[] s = new float[rows * ld];
                Arrays.fill(s, Float.NaN);
                StandardLogits.tile(q, 0, rows, dim, pk.data(), pk.tileOffset(0), s, 3, ld);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < TILE; j++) {
                        double want = 0;
                        for (int c = 0; c < dim; c++) want += (double) q[r * dim + c] * k.get(0, 0, j, c);
                        assertEquals(want, s[r * ld + 3 + j], 2 * Math.ulp(1f) * dim,
                                "dim=" + dim + " rows=" + rows + " r=" + r + " j=" + j);
                    }
                    for (int j : new int[] {0, 1, 2, TILE + 3, TILE + 4}) {
                        assertTrue(Float.isNaN(s[r * ld + j]), "wrote outside its tile at row " + r + " column " + j);
                    }
                }
            }
        }
    }

    /**
     * Several key blocks through the online softmax equal one softmax over all keys, for every row
     * count and value dim, including a row with every key masked (zeros) and a row with a NaN
     * logit (all NaN), which must not disturb the other rows.
     */
    @Test
    void onlineSoftmaxOverBlocksEqualsOneSoftmax() {
        for (int vDim : DIMS) {
            for (int rows : ROWS) {
                int keys = 3 * TILE;
                Tensor v = tensor(keys, vDim);
                PackedValues pv = new PackedValues();
                pv.bind(v, 0, 0);
                pv.ensure(keys);
                float[][] logits = new float[rows][keys];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < keys; j++) {
                        logits[r][j] = rnd.nextDouble() < 0.2 ? Float.NEGATIVE_INFINITY : (float) rnd.nextDouble(-8, 8);
                    }
                }
                int masked = rows > 2 ? 1 : -1, nan = rows > 3 ? 3 : -1;
                if (masked >= 0) Arrays.fill(logits[masked], Float.NEGATIVE_INFINITY);
                if (nan >= 0) logits[nan][keys - 5] = Float.NaN;

                OnlineSoftmax sm = new OnlineSoftmax(rows, vDim);
                sm.reset(rows);
                int ld = TILE;
                float[] s = new float[rows * ld];
                for (int j0 = 0; j0 < keys; j0 += TILE) {
                    for (int r = 0; r < rows; r++) System.arraycopy(logits[r], j0, s, r * ld, TILE);
                    sm.accumulate(s, ld, rows, TILE, pv, j0);
                }
                Tensor out = Tensor.zerosBhsd(1, 1, rows, vDim);
                sm.finish(rows, out, 0, 0, 0);

                for (int r = 0; r < rows; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (float x : logits[r]) if (!Float.isNaN(x)) max = Math.max(max, x);
                    for (int c = 0; c < vDim; c++) {
                        float got = out.get(0, 0, r, c);
                        String where = "vDim=" + vDim + " rows=" + rows + " r=" + r + " c=" + c;
                        if (r == nan) {
                            assertTrue(Float.isNaN(got), where);
                        } else if (r == masked) {
                            assertEquals(0f, got, 0f, where);
                        } else {
                            double num = 0, den = 0;
                            for (int j = 0; j < keys; j++) {
                                double w = Math.exp(logits[r][j] - max);
                                num += w * v.get(0, 0, j, c);
                                den += w;
                            }
                            assertEquals(num / den, got, 1e-5, where);
                        }
                    }
                }
            }
        }
    }

    /** A NaN or inf value at a key no row attends (weight 0) must not reach any output. */
    @Test
    void nonFiniteValuesAtMaskedKeysDoNotLeak() {
        int keys = 2 * TILE, vDim = 20, rows = 6;
        Tensor v = tensor(keys, vDim);
        v.set(0, 0, 7, 3, Float.NaN);
        v.set(0, 0, TILE + 1, 0, Float.NEGATIVE_INFINITY);
        PackedValues pv = new PackedValues();
        pv.bind(v, 0, 0);
        pv.ensure(keys);
        OnlineSoftmax sm = new OnlineSoftmax(rows, vDim);
        sm.reset(rows);
        float[] s = new float[rows * keys];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < keys; j++) s[r * keys + j] = (float) rnd.nextDouble(-1, 1);
            s[r * keys + 7] = Float.NEGATIVE_INFINITY;
            // row 0 attends key TILE+1 (its inf value); the others do not.
            if (r != 0) s[r * keys + TILE + 1] = Float.NEGATIVE_INFINITY;
        }
        sm.accumulate(s, keys, rows, keys, pv, 0);
        Tensor out = Tensor.zerosBhsd(1, 1, rows, vDim);
        sm.finish(rows, out, 0, 0, 0);
        assertEquals(Float.NEGATIVE_INFINITY, out.get(0, 0, 0, 0));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < vDim; c++) {
                if (r == 0 && c == 0) continue;
                assertTrue(Float.isFinite(out.get(0, 0, r, c)), "r=" + r + " c=" + c + ": " + out.get(0, 0, r, c));
            }
        }
    }
}
