/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The values of one (batch, kv head), packed for the P.V micro-kernel.
 *
 * <p>Layout: v_dim is padded with zeros to {@link #stride()} (whole vectors) and cut into column
 * chunks of {@link #CHUNK} floats (four vectors, the width of the P.V register tile) plus one
 * narrower remainder chunk of {@link #remainder()} floats when the stride is not a multiple of
 * CHUNK. Keys go in tiles of {@link PackedKeys#TILE}; within a tile each chunk is stored as TILE
 * contiguous rows. So the kernel walks one chunk of one tile as a dense TILE x CHUNK block with a
 * compile-time row stride, which lets C2 drop the bounds checks from its loop (a row stride only
 * known at run time cost about 10% there), and the block (16 KiB) stays in L1 while every row
 * group of the query block uses it. Keys past the end are zero.
 *
 * <p>It also records, per tile, whether every value there is finite: the fast P.V kernel
 * multiplies masked keys by weight 0, and 0 * NaN or 0 * inf would leak into rows that never
 * attend those keys, so tiles with non-finite values take a path that skips zero weights (the
 * reference skips masked keys outright).
 *
 * <p>Lazy like {@link PackedKeys}; one per worker; not thread-safe.
 */
public final class PackedValues {
    private static final int TILE = PackedKeys.TILE;
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    /** Floats per full column chunk: the four vectors of the P.V register tile. */
    public static final int CHUNK = 4 * VectorMath.LANES;

    private Tensor values;
    private int batch = -1, head = -1, seq, vDim, stride, fullChunks, remainder, packedTiles;
    private float[] data = new float[0];
    private boolean[] finite = new boolean[0];
    /** The largest finite |v| over the packed tiles. */
    private float maxAbs;
    private float[] row = new float[0];

    /** v_dim rounded up to a whole number of vectors. */
    public static int strideFor(int vDim) {
        return (vDim + VectorMath.LANES - 1) / VectorMath.LANES * VectorMath.LANES;
    }

    /** Forgets the current head, so the next {@link #bind} packs afresh. */
    public void unbind() {
        this.values = null;
        this.batch = -1;
        this.head = -1;
        this.packedTiles = 0;
    }

    /** Selects the values of (b, kvHead) in {@code values}; keeps the packing if it is the same one. */
    public void bind(Tensor values, int b, int kvHead) {
        if (values == this.values && b == batch && kvHead == head) return;
        this.values = values;
        this.batch = b;
        this.head = kvHead;
        this.seq = values.seq();
        this.vDim = values.dim();
        this.stride = strideFor(vDim);
        this.fullChunks = stride / CHUNK;
        this.remainder = stride - fullChunks * CHUNK;
        this.packedTiles = 0;
        this.maxAbs = 0f;
        int tiles = PackedKeys.tilesFor(seq);
        long need = (long) tiles * TILE * stride;
        if (need > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("V " + values.shapeString() + " is too long for one packed head");
        }
        if (data.length < need) data = new float[(int) need];
        if (finite.length < tiles) finite = new boolean[tiles];
        if (row.length < stride) row = new float[stride];
    }

    /** Makes sure every tile holding values [0, keyCount) is packed. */
    public void ensure(int keyCount) {
        int tiles = PackedKeys.tilesFor(Math.min(keyCount, seq));
        for (int t = packedTiles; t < tiles; t++) packTile(t);
        if (tiles > packedTiles) packedTiles = tiles;
    }

    private void packTile(int t) {
        int j0 = t * TILE, n = Math.min(TILE, seq - j0);
        float check = 0f, amax = maxAbs;
        // The finiteness check and the largest finite |v| a vector at a time: as one scalar chain
        // of float adds they waited out the add latency on every element, about a tenth of a call
        // at seq 256. Both results are order-independent (a sum of zeros or NaN, a max), so they
        // are the scalar loop's exactly.
        FloatVector chk = FloatVector.zero(SP), mx = FloatVector.broadcast(SP, amax);
        // When a value row is exactly one chunk (v_dim 64 with 16 lanes) it is read straight into
        // its packed place: no staging copy.
        boolean direct = vDim == CHUNK;
        for (int jj = 0; jj < TILE; jj++) {
            float[] src = direct ? data : row;
            int at = direct ? chunkOffset(t, 0) + jj * CHUNK : 0;
            if (jj < n) {
                values.readRow(batch, head, j0 + jj, src, at);
                int c = 0;
                for (; c + L <= vDim; c += L) {
                    FloatVector x = FloatVector.fromArray(SP, src, at + c);
                    chk = chk.add(x.mul(0f));
                    FloatVector a = x.abs();
                    mx = mx.blend(a, a.compare(VectorOperators.GT, mx).and(a.compare(VectorOperators.NE, Float.POSITIVE_INFINITY)));
                }
                for (; c < vDim; c++) {
                    check += src[at + c] * 0f;
                    float a = Math.abs(src[at + c]);
                    if (a > amax && a != Float.POSITIVE_INFINITY) amax = a;
                }
                if (direct) continue;
                Arrays.fill(row, vDim, stride, 0f);
            } else {
                Arrays.fill(src, at, at + stride, 0f);
                if (direct) continue;
            }
            for (int ch = 0; ch < fullChunks; ch++) {
                System.arraycopy(row, ch * CHUNK, data, chunkOffset(t, ch) + jj * CHUNK, CHUNK);
            }
            if (remainder > 0) {
                System.arraycopy(row, fullChunks * CHUNK, data, chunkOffset(t, fullChunks) + jj * remainder, remainder);
            }
        }
        // x * 0 is 0 for finite x and NaN for NaN or +-inf, so the sum is 0 exactly when all are finite.
        check += VectorMath.sumLanes(chk);
        finite[t] = check == 0f;
        maxAbs = Math.max(amax, mx.reduceLanes(VectorOperators.MAX));
    }

    /**
     * The weight shift K (0, or a multiple of ln 2) under which sum_j exp(s_j - m - K) |v_j| over
     * every key of the head stays within the float range, judged from the largest finite |v|
     * packed so far: 0 unless the values come within a factor of about 2 * seq of Float.MAX_VALUE.
     */
    public float headroom() {
        double bound = (double) maxAbs * 2.0 * Math.max(1, PackedKeys.tilesFor(seq) * TILE);
        if (bound <= Float.MAX_VALUE) return 0f;
        int k = Math.getExponent(bound / Float.MAX_VALUE) + 1;
        return (float) (k * Math.log(2));
    }

    public float[] data() { return data; }

    /**
     * Where chunk {@code ch} of tile {@code t} starts in {@link #data()}: TILE rows of CHUNK floats
     * (of {@link #remainder()} floats for ch = {@link #fullChunks()}).
     */
    public int chunkOffset(int t, int ch) {
        return t * TILE * stride + ch * TILE * CHUNK;
    }

    /** Floats per value row after padding (v_dim rounded up to whole vectors). */
    public int stride() { return stride; }

    /** Number of CHUNK-wide column chunks. */
    public int fullChunks() { return fullChunks; }

    /** Width of the last, narrower chunk (0, or 1 to 3 vectors). */
    public int remainder() { return remainder; }

    public int vDim() { return vDim; }

    /** Value (j, c) for c &lt; stride (tests and slow paths). */
    public float get(int j, int c) {
        int t = j / TILE, jj = j % TILE, ch = c / CHUNK;
        if (ch < fullChunks) return data[chunkOffset(t, ch) + jj * CHUNK + c % CHUNK];
        return data[chunkOffset(t, fullChunks) + jj * remainder + c - fullChunks * CHUNK];
    }

    /** Whether every value of keys [j0, j0+width) is finite; j0 and width multiples of TILE. */
    public boolean finite(int j0, int width) {
        for (int t = j0 / TILE, end = (j0 + width) / TILE; t < end; t++) if (!finite[t]) return false;
        return true;
    }
}
