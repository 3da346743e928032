package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;

/**
 * The values of one (batch, kv head) as rows of {@link #stride()} floats (v_dim rounded up to
 * whole vectors, zero-padded), so the P.V micro-kernel needs no tail code; rows past the end are
 * zero. It also records, per tile of {@link PackedKeys#TILE} keys, whether every value there is
 * finite: the fast P.V kernel multiplies masked keys by weight 0, and 0 * NaN or 0 * inf would
 * leak into rows that never attend those keys, so tiles with non-finite values take a path that
 * skips zero weights (the reference skips masked keys outright).
 *
 * <p>Lazy like {@link PackedKeys}; one per worker; not thread-safe.
 */
public final class PackedValues {
    private static final int TILE = PackedKeys.TILE;

    private Tensor values;
    private int batch = -1, head = -1, seq, vDim, stride, packedTiles;
    private float[] data = new float[0];
    private boolean[] finite = new boolean[0];

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
        this.packedTiles = 0;
        int tiles = PackedKeys.tilesFor(seq);
        long need = (long) tiles * TILE * stride;
        if (need > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("V " + values.shapeString() + " is too long for one packed head");
        }
        if (data.length < need) data = new float[(int) need];
        if (finite.length < tiles) finite = new boolean[tiles];
    }

    /** Makes sure every tile holding values [0, keyCount) is packed. */
    public void ensure(int keyCount) {
        int tiles = PackedKeys.tilesFor(Math.min(keyCount, seq));
        for (int t = packedTiles; t < tiles; t++) packTile(t);
        if (tiles > packedTiles) packedTiles = tiles;
    }

    private void packTile(int t) {
        int j0 = t * TILE, n = Math.min(TILE, seq - j0);
        float check = 0f;
        for (int jj = 0; jj < TILE; jj++) {
            int o = (j0 + jj) * stride;
            if (jj < n) {
                values.readRow(batch, head, j0 + jj, data, o);
                for (int c = 0; c < vDim; c++) check += data[o + c] * 0f;
                for (int c = vDim; c < stride; c++) data[o + c] = 0f;
            } else {
                java.util.Arrays.fill(data, o, o + stride, 0f);
            }
        }
        // x * 0 is 0 for finite x and NaN for NaN or +-inf, so the sum is 0 exactly when all are finite.
        finite[t] = check == 0f;
    }

    public float[] data() { return data; }

    /** Floats per value row. */
    public int stride() { return stride; }

    public int vDim() { return vDim; }

    /** Whether every value of keys [j0, j0+width) is finite; j0 and width multiples of TILE. */
    public boolean finite(int j0, int width) {
        for (int t = j0 / TILE, end = (j0 + width) / TILE; t < end; t++) if (!finite[t]) return false;
        return true;
    }
}
