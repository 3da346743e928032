/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor of logical shape [batch, heads, seq, dim] with a {@link DType}, backed by a heap
 * array ({@code float[]} for float32, {@code short[]} for the half types) or a {@link MemorySegment}.
 *
 * <p>The physical layout is named where the tensor is made, and the factory's arguments follow the
 * name, so that the two layouts cannot be confused:
 * <ul>
 *   <li>{@link #bhsd(float[], int, int, int, int) bhsd(data, batch, heads, seq, dim)}: row-major
 *       [batch, heads, seq, dim];
 *   <li>{@link #bshd(float[], int, int, int, int) bshd(data, batch, seq, heads, dim)}: row-major
 *       [batch, seq, heads, dim], which is also the ONNX 3-D layout [batch, seq, heads * dim].
 * </ul>
 * Whatever the layout, the accessors ({@link #batch()}, {@link #heads()}, {@link #seq()},
 * {@link #dim()}, {@link #get}) speak in logical (batch, head, position, channel) terms. In both
 * layouts one (batch, head, position) row of {@code dim} values is contiguous, which every kernel
 * relies on; {@link #offset} gives the element index of a row's first value.
 *
 * <p>A tensor is a view: it does not copy the storage it wraps. Reads and writes are not
 * synchronised; share a tensor across threads only for reading.
 */
public final class Tensor {
    /** Physical order of the four logical axes. */
    public enum Layout {
        /** [batch, heads, seq, dim], row-major. */
        BHSD,
        /** [batch, seq, heads, dim], row-major: the ONNX 3-D layout [batch, seq, heads*dim]. */
        BSHD
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final float[] array;
    private final short[] halfArray;
    private final MemorySegment segment;
    private final DType dtype;
    private final int batch, heads, seq, dim;
    private final Layout layout;
    private final long strideB, strideH, strideS;

    private Tensor(float[] array, short[] halfArray, MemorySegment segment, DType dtype, Layout layout,
                   int batch, int heads, int seq, int dim) {
        this.array = array;
        this.halfArray = halfArray;
        this.segment = segment;
        this.dtype = dtype;
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

    // ---- factories: the name says the layout, the arguments follow the name -----------------

    /** Wraps {@code data} as float32 [batch, heads, seq, dim], row-major. Its length must match exactly. */
    public static Tensor bhsd(float[] data, int batch, int heads, int seq, int dim) {
        Objects.requireNonNull(data, "data");
        checkLength("Tensor.bhsd", data.length, Layout.BHSD, batch, heads, seq, dim);
        return new Tensor(data, null, null, DType.FLOAT32, Layout.BHSD, batch, heads, seq, dim);
    }

    /**
     * Wraps {@code data} as float32 [batch, seq, heads, dim], row-major: the ONNX 3-D layout
     * [batch, seq, heads * dim] with the heads split out. Its length must match exactly.
     */
    public static Tensor bshd(float[] data, int batch, int seq, int heads, int dim) {
        Objects.requireNonNull(data, "data");
        checkLength("Tensor.bshd", data.length, Layout.BSHD, batch, heads, seq, dim);
        return new Tensor(data, null, null, DType.FLOAT32, Layout.BSHD, batch, heads, seq, dim);
    }

    /** Wraps the raw 16-bit words {@code data} of a half {@code dtype} as [batch, heads, seq, dim]. */
    public static Tensor bhsd(short[] data, DType dtype, int batch, int heads, int seq, int dim) {
        Objects.requireNonNull(data, "data");
        checkHalf("Tensor.bhsd", dtype);
        checkLength("Tensor.bhsd", data.length, Layout.BHSD, batch, heads, seq, dim);
        return new Tensor(null, data, null, dtype, Layout.BHSD, batch, heads, seq, dim);
    }

    /** Wraps the raw 16-bit words {@code data} of a half {@code dtype} as [batch, seq, heads, dim]. */
    public static Tensor bshd(short[] data, DType dtype, int batch, int seq, int heads, int dim) {
        Objects.requireNonNull(data, "data");
        checkHalf("Tensor.bshd", dtype);
        checkLength("Tensor.bshd", data.length, Layout.BSHD, batch, heads, seq, dim);
        return new Tensor(null, data, null, dtype, Layout.BSHD, batch, heads, seq, dim);
    }

    /**
     * Wraps a segment holding [batch, heads, seq, dim] values of {@code dtype}, row-major (float32
     * in native byte order, the half types as little-endian 16-bit words). A segment carries no
     * type, so the dtype is always named.
     */
    public static Tensor bhsd(MemorySegment segment, DType dtype, int batch, int heads, int seq, int dim) {
        return ofSegment("Tensor.bhsd", segment, dtype, Layout.BHSD, batch, heads, seq, dim);
    }

    /** Wraps a segment holding [batch, seq, heads, dim] values of {@code dtype} (ONNX 3-D [batch, seq, heads*dim]). */
    public static Tensor bshd(MemorySegment segment, DType dtype, int batch, int seq, int heads, int dim) {
        return ofSegment("Tensor.bshd", segment, dtype, Layout.BSHD, batch, heads, seq, dim);
    }

    /** A zero-filled float32 heap tensor [batch, heads, seq, dim]. */
    public static Tensor zerosBhsd(int batch, int heads, int seq, int dim) {
        return zeros("Tensor.zerosBhsd", DType.FLOAT32, Layout.BHSD, batch, heads, seq, dim);
    }

    /** A zero-filled float32 heap tensor [batch, seq, heads, dim]. */
    public static Tensor zerosBshd(int batch, int seq, int heads, int dim) {
        return zeros("Tensor.zerosBshd", DType.FLOAT32, Layout.BSHD, batch, heads, seq, dim);
    }

    /** A zero-filled heap tensor [batch, heads, seq, dim] of {@code dtype}. */
    public static Tensor zerosBhsd(DType dtype, int batch, int heads, int seq, int dim) {
        return zeros("Tensor.zerosBhsd", dtype, Layout.BHSD, batch, heads, seq, dim);
    }

    /** A zero-filled heap tensor [batch, seq, heads, dim] of {@code dtype}. */
    public static Tensor zerosBshd(DType dtype, int batch, int seq, int heads, int dim) {
        return zeros("Tensor.zerosBshd", dtype, Layout.BSHD, batch, heads, seq, dim);
    }

    /**
     * A zero-filled heap tensor of the given logical shape (batch, heads, seq, dim, whatever the
     * layout) in this tensor's layout and dtype: how backends make outputs "in the layout of Q".
     */
    public Tensor like(int batch, int heads, int seq, int dim) {
        return zeros("Tensor.like", dtype, layout, batch, heads, seq, dim);
    }

    /** Like {@link #like(int, int, int, int)} but of {@code dtype}: an output "in Q's layout, of the asked dtype". */
    public Tensor like(DType dtype, int batch, int heads, int seq, int dim) {
        return zeros("Tensor.like", dtype, layout, batch, heads, seq, dim);
    }

    private static Tensor zeros(String what, DType dtype, Layout layout, int b, int h, int s, int d) {
        Objects.requireNonNull(dtype, "dtype");
        long n = checkShape(what, layout, b, h, s, d);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + ": " + n + " elements " + shape(layout, b, h, s, d)
                    + " do not fit a Java array; use a MemorySegment");
        }
        return dtype == DType.FLOAT32
                ? new Tensor(new float[(int) n], null, null, dtype, layout, b, h, s, d)
                : new Tensor(null, new short[(int) n], null, dtype, layout, b, h, s, d);
    }

    private static Tensor ofSegment(String what, MemorySegment segment, DType dtype, Layout layout, int b, int h, int s, int d) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(dtype, "dtype");
        long n = checkShape(what, layout, b, h, s, d);
        if (segment.byteSize() != n * dtype.byteSize()) {
            throw new IllegalArgumentException(what + ": segment holds " + segment.byteSize() + " bytes but " + dtype + " "
                    + shape(layout, b, h, s, d) + " needs " + n * dtype.byteSize());
        }
        return new Tensor(null, null, segment, dtype, layout, b, h, s, d);
    }

    private static void checkHalf(String what, DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isHalf()) {
            throw new IllegalArgumentException(what + ": a short[] holds half-precision words, so dtype must be FLOAT16 or "
                    + "BFLOAT16, got " + dtype + "; pass a float[] for FLOAT32");
        }
    }

    private static void checkLength(String what, int length, Layout layout, int b, int h, int s, int d) {
        long n = checkShape(what, layout, b, h, s, d);
        if (length != n) {
            throw new IllegalArgumentException(what + ": data has " + length + " elements but " + shape(layout, b, h, s, d)
                    + " needs " + n);
        }
    }

    private static long checkShape(String what, Layout layout, int b, int h, int s, int d) {
        if (b < 1 || h < 1 || s < 0 || d < 1) {
            throw new IllegalArgumentException(what + ": every dimension must be >= 1 (seq may be 0), got "
                    + shape(layout, b, h, s, d));
        }
        return Sizes.elements(what, shape(layout, b, h, s, d), b, h, s, d);
    }

    /** The shape in the order of the layout's name, with the axes named. */
    private static String shape(Layout layout, int b, int h, int s, int d) {
        return layout == Layout.BHSD
                ? "[batch " + b + ", heads " + h + ", seq " + s + ", dim " + d + "]"
                : "[batch " + b + ", seq " + s + ", heads " + h + ", dim " + d + "]";
    }

    // ---- shape and storage ------------------------------------------------------------------

    public int batch() { return batch; }
    public int heads() { return heads; }
    public int seq() { return seq; }
    public int dim() { return dim; }
    public Layout layout() { return layout; }
    public DType dtype() { return dtype; }
    public long size() { return (long) batch * heads * seq * dim; }

    /** Bytes of storage: {@link #size()} times the dtype's {@link DType#byteSize()}. */
    public long byteSize() { return size() * dtype.byteSize(); }

    /** True when backed by a heap array: {@link #array()} for float32, {@link #shortArray()} for the half types. */
    public boolean isHeap() { return array != null || halfArray != null; }

    /**
     * The backing float32 array (element 0 is the storage's first value), or null for a segment
     * tensor.
     *
     * @throws IllegalStateException for a heap tensor of a half dtype (use {@link #shortArray()})
     */
    public float[] array() {
        if (halfArray != null) throw new IllegalStateException("tensor " + shapeString() + " is " + dtype + ": use shortArray()");
        return array;
    }

    /**
     * The backing array of 16-bit words of a half-precision heap tensor, or null for a segment
     * tensor.
     *
     * @throws IllegalStateException for a float32 heap tensor (use {@link #array()})
     */
    public short[] shortArray() {
        if (array != null) throw new IllegalStateException("tensor " + shapeString() + " is FLOAT32: use array()");
        return halfArray;
    }

    /** The backing segment, or a heap segment over the array. */
    public MemorySegment segment() {
        if (segment != null) return segment;
        return array != null ? MemorySegment.ofArray(array) : MemorySegment.ofArray(halfArray);
    }

    /** Element index of (b, h, s, 0) in the storage; a row's {@code dim} values follow contiguously. */
    public long offset(int b, int h, int s) {
        return b * strideB + h * strideH + s * strideS;
    }

    /** The value at (b, h, s, d), widened to float32 exactly for a half dtype. */
    public float get(int b, int h, int s, int d) {
        return load(offset(b, h, s) + d);
    }

    /** Stores {@code value} at (b, h, s, d), rounded to nearest (ties to even) for a half dtype. */
    public void set(int b, int h, int s, int d, float value) {
        store(offset(b, h, s) + d, value);
    }

    private float load(long i) {
        if (array != null) return array[(int) i];
        if (halfArray != null) return dtype.widen(halfArray[(int) i]);
        return dtype == DType.FLOAT32 ? segment.getAtIndex(F32, i) : dtype.widen(segment.getAtIndex(F16, i));
    }

    private void store(long i, float value) {
        if (array != null) {
            array[(int) i] = value;
        } else if (halfArray != null) {
            halfArray[(int) i] = dtype.narrow(value);
        } else if (dtype == DType.FLOAT32) {
            segment.setAtIndex(F32, i, value);
        } else {
            segment.setAtIndex(F16, i, dtype.narrow(value));
        }
    }

    /** Copies row (b, h, s) into {@code dst[dstOff .. dstOff+dim)}, widened to float32. */
    public void readRow(int b, int h, int s, float[] dst, int dstOff) {
        Objects.requireNonNull(dst, "dst");
        long i = offset(b, h, s);
        if (array != null) {
            System.arraycopy(array, (int) i, dst, dstOff, dim);
        } else if (segment != null && dtype == DType.FLOAT32) {
            MemorySegment.copy(segment, F32, i * Float.BYTES, dst, dstOff, dim);
        } else if (halfArray != null) {
            // One loop per dtype with no switch inside, so that the JIT can vectorise the widening.
            int o = (int) i;
            short[] a = halfArray;
            if (dtype == DType.BFLOAT16) {
                for (int c = 0; c < dim; c++) dst[dstOff + c] = Float.intBitsToFloat((a[o + c] & 0xffff) << 16);
            } else {
                for (int c = 0; c < dim; c++) dst[dstOff + c] = Float.float16ToFloat(a[o + c]);
            }
        } else {
            for (int c = 0; c < dim; c++) dst[dstOff + c] = load(i + c);
        }
    }

    /** Copies {@code src[srcOff .. srcOff+dim)} into row (b, h, s), rounded for a half dtype. */
    public void writeRow(int b, int h, int s, float[] src, int srcOff) {
        Objects.requireNonNull(src, "src");
        long i = offset(b, h, s);
        if (array != null) {
            System.arraycopy(src, srcOff, array, (int) i, dim);
        } else if (segment != null && dtype == DType.FLOAT32) {
            MemorySegment.copy(src, srcOff, segment, F32, i * Float.BYTES, dim);
        } else {
            for (int c = 0; c < dim; c++) store(i + c, src[srcOff + c]);
        }
    }

    /** A contiguous [batch, heads, seq, dim] float32 copy of the values. */
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

    /** A new float32 heap tensor [batch, heads, seq, dim] holding a copy of the values. */
    public Tensor copy() {
        return Tensor.bhsd(toArray(), batch, heads, seq, dim);
    }

    /**
     * "[b, h, s, d]" in logical order, plus the physical shape when it is [b, s, h, d] and the
     * dtype when it is not float32; used in every error message.
     */
    public String shapeString() {
        String s = "[" + batch + ", " + heads + ", " + seq + ", " + dim + "]";
        if (layout == Layout.BSHD) s += " (bshd [" + batch + ", " + seq + ", " + heads + ", " + dim + "])";
        return dtype == DType.FLOAT32 ? s : s + " " + dtype;
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString() + (isHeap() ? " heap" : " segment");
    }

    /** Element-wise equality of shape and values (layouts and dtypes may differ). */
    public boolean contentEquals(Tensor other) {
        return other != null && batch == other.batch && heads == other.heads && seq == other.seq && dim == other.dim
                && Arrays.equals(toArray(), other.toArray());
    }
}
