package dev.ika4j.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * An attention mask, boolean (true = may attend) or additive (added to the scaled scores), with
 * ONNX semantics: its dims broadcast, right-aligned, against [batch, heads, q_seq, total_kv_seq];
 * each dim is 1 or equal to the target, except the last, which may be shorter than the total key
 * length, in which case the missing columns are masked out (as if -inf).
 */
public final class AttentionMask {
    private final boolean[] allowed;
    private final float[] bias;
    private final int[] dims;   // always 4 entries, left-padded with 1
    private final int[] given;  // as the caller passed them

    private AttentionMask(boolean[] allowed, float[] bias, int[] dims) {
        Objects.requireNonNull(dims, "dims");
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("mask dims must have rank 1 to 4, got " + Arrays.toString(dims));
        }
        long n = 1;
        for (int d : dims) {
            if (d < 1) throw new IllegalArgumentException("mask dims must be >= 1, got " + Arrays.toString(dims));
            n *= d;
        }
        int len = allowed != null ? allowed.length : bias.length;
        if (len != n) {
            throw new IllegalArgumentException("mask data has " + len + " elements but dims " + Arrays.toString(dims)
                    + " need " + n);
        }
        this.allowed = allowed;
        this.bias = bias;
        this.given = dims.clone();
        this.dims = new int[] {1, 1, 1, 1};
        System.arraycopy(dims, 0, this.dims, 4 - dims.length, dims.length);
    }

    /** A boolean mask: {@code true} marks a key the query may attend to. */
    public static AttentionMask bool(boolean[] allowed, int... dims) {
        return new AttentionMask(Objects.requireNonNull(allowed, "allowed"), null, dims);
    }

    /** An additive mask: each value is added to the scaled (and soft-capped) score. */
    public static AttentionMask additive(float[] bias, int... dims) {
        return new AttentionMask(null, Objects.requireNonNull(bias, "bias"), dims);
    }

    public boolean isBoolean() { return allowed != null; }

    /** The dims as given by the caller. */
    public int[] dims() { return given.clone(); }

    /** The dims left-padded with 1 to rank 4. */
    public int[] dims4() { return dims.clone(); }

    /**
     * Checks that this mask broadcasts to [batch, heads, qSeq, kvSeq].
     *
     * @throws IllegalArgumentException naming both shapes when it does not
     */
    public void checkBroadcast(int batch, int heads, int qSeq, int kvSeq) {
        int[] target = {batch, heads, qSeq, kvSeq};
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

    /** The raw boolean data (null for an additive mask); not copied, do not modify. */
    public boolean[] booleanData() { return allowed; }

    /** The raw additive data (null for a boolean mask); not copied, do not modify. */
    public float[] additiveData() { return bias; }

    @Override
    public String toString() {
        return (allowed != null ? "bool" : "additive") + " mask " + Arrays.toString(given);
    }
}
