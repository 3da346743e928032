/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The keys of one (batch, kv head), transposed tile by tile so the Q.K^T micro-kernel runs its
 * vectors across keys: tile t holds keys [t*TILE, (t+1)*TILE) as {@code dim} rows of TILE floats,
 * row c being the c-th component of those keys. The kernel then reads each row with plain
 * contiguous vector loads, needs no horizontal sums, and handles any head dim (the loop over c is
 * scalar). Keys past the end are zero; the kernel masks them to -inf.
 *
 * <p>Packing is lazy (only the tiles a query block can see, which is what lets causal attention
 * skip the masked half) and each worker owns one instance, reused across heads; not thread-safe.
 */
public final class PackedKeys {
    /** Keys per tile: the Q.K^T register tile is four vectors wide. */
    public static final int TILE = 4 * VectorMath.LANES;
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    private Tensor keys;
    private int batch = -1, head = -1, seq, dim, packedTiles;
    private float[] data = new float[0];
    private float[] rows = new float[0];
    /** Gather indices {0, dim, 2 dim, ...}: one vector's keys, component 0, in {@link #rows}. */
    private int[] column = new int[L];

    /** Forgets the current head, so the next {@link #bind} packs afresh. */
    public void unbind() {
        this.keys = null;
        this.batch = -1;
        this.head = -1;
        this.packedTiles = 0;
    }

    /** Selects the keys of (b, kvHead) in {@code keys}; keeps the packing if it is the same one. */
    public void bind(Tensor keys, int b, int kvHead) {
        if (keys == this.keys && b == batch && kvHead == head) return;
        this.keys = keys;
        this.batch = b;
        this.head = kvHead;
        this.seq = keys.seq();
        this.dim = keys.dim();
        this.packedTiles = 0;
        int tiles = tilesFor(seq);
        long need = (long) tiles * TILE * dim;
        if (need > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("K " + keys.shapeString() + " is too long for one packed head");
        }
        if (data.length < need) data = new float[(int) need];
        if (rows.length < TILE * dim) rows = new float[TILE * dim];
        for (int l = 0; l < L; l++) column[l] = l * dim;
    }

    /** Makes sure every tile holding keys [0, keyCount) is packed. */
    public void ensure(int keyCount) {
        int tiles = tilesFor(Math.min(keyCount, seq));
        for (int t = packedTiles; t < tiles; t++) packTile(t);
        if (tiles > packedTiles) packedTiles = tiles;
    }

    private void packTile(int t) {
        int j0 = t * TILE, n = Math.min(TILE, seq - j0);
        for (int jj = 0; jj < n; jj++) keys.readRow(batch, head, j0 + jj, rows, jj * dim);
        if (n < TILE) Arrays.fill(rows, n * dim, TILE * dim, 0f);
        int base = t * TILE * dim;
        // The transpose a vector at a time: one gather reads component c of L consecutive keys
        // (stride dim in the row buffer, which stays in L1) and one store writes it. As a scalar
        // loop (one strided load and one store per element) it was about a tenth of a call at
        // seq 128, where each head's keys are packed once for only 128 query rows.
        for (int c = 0; c < dim; c++) {
            int o = base + c * TILE;
            for (int v = 0; v < TILE; v += L) FloatVector.fromArray(SP, rows, v * dim + c, column, 0).intoArray(data, o + v);
        }
    }

    public static int tilesFor(int keys) { return (keys + TILE - 1) / TILE; }

    /** The packed data; tile t starts at {@link #tileOffset}. */
    public float[] data() { return data; }

    public int tileOffset(int tile) { return tile * TILE * dim; }

    public int dim() { return dim; }
}
