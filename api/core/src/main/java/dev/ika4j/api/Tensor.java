package dev.ika4j.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor of logical shape [batch, heads, seq, dim], backed by a heap {@code float[]}
 * or a {@link MemorySegment}.
 *
 * <p>Two physical layouts share this type: {@link Layout#BHSD} (row-major [batch, heads, seq, dim])
 * and {@link Layout#BSHD}, the ONNX 3-D packed layout [batch, seq, heads*dim] viewed with heads
 * split out. In both, one (batch, head, position) row of {@code dim} values is contiguous, which is
 * what every kernel relies on; {@link #offset} gives the element index of a row's first value.
 *
 * <p>A tensor is a view: it does not copy the storage it wraps. Reads and writes are not
 * synchronised; share a tensor across threads only for reading.
 */
public final class Tensor {
    /** Physical order of the four logical axes. */
    public enum Layout {
        /** [batch, heads, seq, dim], row-major. */
        BHSD,
        /** [batch, seq, heads, dim]: the ONNX 3-D packed layout [batch, seq, heads*dim]. */
        BSHD
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final float[] array;
    private final MemorySegment segment;
    private final int batch, heads, seq, dim;
    private final Layout layout;
    private final long strideB, strideH, strideS;

    private Tensor(float[] array, MemorySegment segment, Layout layout, int batch, int heads, int seq, int dim) {
        this.array = array;
        this.segment = segment;
        this.layout = layout;
        this.batch = batch;
        this.heads = heads;
        this.seq = seq;
        this.dim = dim;
        if (layout == Layout.BHSD) {
            strideS = dim;
            strideH = (long) seq * dim;
            strideB = (long) heads * seq * dim;
        } else {
            strideH = dim;
            strideS = (long) heads * dim;
            strideB = (long) seq * heads * dim;
        }
    }

    private static long checkShape(String what, int b, int h, int s, int d) {
        if (b < 1 || h < 1 || s < 0 || d < 1) {
            throw new IllegalArgumentException(what + ": every dimension must be >= 1 (seq may be 0), got ["
                    + b + ", " + h + ", " + s + ", " + d + "]");
        }
        return (long) b * h * s * d;
    }

    /** Wraps {@code data} as [batch, heads, seq, dim] row-major. Its length must match exactly. */
    public static Tensor of(float[] data, int batch, int heads, int seq, int dim) {
        Objects.requireNonNull(data, "data");
        long n = checkShape("Tensor.of", batch, heads, seq, dim);
        if (data.length != n) {
            throw new IllegalArgumentException("Tensor.of: data has " + data.length + " elements but shape ["
                    + batch + ", " + heads + ", " + seq + ", " + dim + "] needs " + n);
        }
        return new Tensor(data, null, Layout.BHSD, batch, heads, seq, dim);
    }

    /** A zero-filled heap tensor [batch, heads, seq, dim]. */
    public static Tensor zeros(int batch, int heads, int seq, int dim) {
        long n = checkShape("Tensor.zeros", batch, heads, seq, dim);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Tensor.zeros: " + n + " elements do not fit a Java array; use a MemorySegment");
        }
        return new Tensor(new float[(int) n], null, Layout.BHSD, batch, heads, seq, dim);
    }

    /** Views {@code data}, laid out as ONNX 3-D [batch, seq, heads*dim], as [batch, heads, seq, dim]. */
    public static Tensor packed(float[] data, int batch, int seq, int heads, int dim) {
        Objects.requireNonNull(data, "data");
        long n = checkShape("Tensor.packed", batch, heads, seq, dim);
        if (data.length != n) {
            throw new IllegalArgumentException("Tensor.packed: data has " + data.length + " elements but [" + batch
                    + ", " + seq + ", " + heads + "*" + dim + "] needs " + n);
        }
        return new Tensor(data, null, Layout.BSHD, batch, heads, seq, dim);
    }

    /** Wraps a memory segment holding [batch, heads, seq, dim] float32 values, row-major. */
    public static Tensor of(MemorySegment segment, int batch, int heads, int seq, int dim) {
        return ofSegment(segment, Layout.BHSD, batch, heads, seq, dim);
    }

    /** Wraps a memory segment holding ONNX 3-D [batch, seq, heads*dim] float32 values. */
    public static Tensor packed(MemorySegment segment, int batch, int seq, int heads, int dim) {
        return ofSegment(segment, Layout.BSHD, batch, heads, seq, dim);
    }

    private static Tensor ofSegment(MemorySegment segment, Layout layout, int b, int h, int s, int d) {
        Objects.requireNonNull(segment, "segment");
        long n = checkShape("Tensor segment", b, h, s, d);
        if (segment.byteSize() != n * Float.BYTES) {
            throw new IllegalArgumentException("segment holds " + segment.byteSize() + " bytes but shape " + layout
                    + " [" + b + ", " + h + ", " + s + ", " + d + "] needs " + n * Float.BYTES);
        }
        return new Tensor(null, segment, layout, b, h, s, d);
    }

    /** A zero-filled heap tensor of the given shape in this tensor's layout. */
    public Tensor like(int batch, int heads, int seq, int dim) {
        long n = checkShape("Tensor.like", batch, heads, seq, dim);
        float[] data = new float[Math.toIntExact(n)];
        return new Tensor(data, null, layout, batch, heads, seq, dim);
    }

    public int batch() { return batch; }
    public int heads() { return heads; }
    public int seq() { return seq; }
    public int dim() { return dim; }
    public Layout layout() { return layout; }
    public long size() { return (long) batch * heads * seq * dim; }

    /** True when backed by a heap array, which {@link #array()} then returns. */
    public boolean isHeap() { return array != null; }

    /** The backing array (element 0 is the storage's first value), or null for a segment tensor. */
    public float[] array() { return array; }

    /** The backing segment, or a heap segment over the array. */
    public MemorySegment segment() { return segment != null ? segment : MemorySegment.ofArray(array); }

    /** Element index of (b, h, s, 0) in the storage; a row's {@code dim} values follow contiguously. */
    public long offset(int b, int h, int s) {
        return b * strideB + h * strideH + s * strideS;
    }

    public float get(int b, int h, int s, int d) {
        long i = offset(b, h, s) + d;
        return array != null ? array[(int) i] : segment.getAtIndex(F32, i);
    }

    public void set(int b, int h, int s, int d, float value) {
        long i = offset(b, h, s) + d;
        if (array != null) {
            array[(int) i] = value;
        } else {
            segment.setAtIndex(F32, i, value);
        }
    }

    /** Copies row (b, h, s) into {@code dst[dstOff .. dstOff+dim)}. */
    public void readRow(int b, int h, int s, float[] dst, int dstOff) {
        long i = offset(b, h, s);
        if (array != null) {
            System.arraycopy(array, (int) i, dst, dstOff, dim);
        } else {
            MemorySegment.copy(segment, F32, i * Float.BYTES, dst, dstOff, dim);
        }
    }

    /** Copies {@code src[srcOff .. srcOff+dim)} into row (b, h, s). */
    public void writeRow(int b, int h, int s, float[] src, int srcOff) {
        long i = offset(b, h, s);
        if (array != null) {
            System.arraycopy(src, srcOff, array, (int) i, dim);
        } else {
            MemorySegment.copy(src, srcOff, segment, F32, i * Float.BYTES, dim);
        }
    }

    /** A contiguous [batch, heads, seq, dim] copy of the values. */
    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        int o = 0;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int s = 0; s < seq; s++, o += dim) {
                    readRow(b, h, s, out, o);
                }
            }
        }
        return out;
    }

    /** A new heap tensor [batch, heads, seq, dim] holding a copy of the values. */
    public Tensor copy() {
        return Tensor.of(toArray(), batch, heads, seq, dim);
    }

    /** "[b, h, s, d]" plus the layout when it is packed; used in every error message. */
    public String shapeString() {
        String s = "[" + batch + ", " + heads + ", " + seq + ", " + dim + "]";
        return layout == Layout.BSHD ? s + " (packed 3-D [" + batch + ", " + seq + ", " + heads * dim + "])" : s;
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString() + (array != null ? " heap" : " segment");
    }

    /** Element-wise equality of shape and values (layouts may differ). */
    public boolean contentEquals(Tensor other) {
        return other != null && batch == other.batch && heads == other.heads && seq == other.seq && dim == other.dim
                && Arrays.equals(toArray(), other.toArray());
    }
}
