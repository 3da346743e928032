/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An ONNX {@code TensorProto} as read from a {@code .pb} file: name, element type, dims and values.
 * FLOAT16 values are widened to float32 on reading (exactly: every half is a float).
 *
 * <p>Fields read: 1 dims (packed or not), 2 data_type, 4 float_data, 5 int32_data (how BOOL and
 * FLOAT16 are stored without raw_data), 7 int64_data, 8 name, 9 raw_data (little-endian, row
 * major). Externally stored data and segmented tensors are rejected.
 */
public final class OnnxTensor {
    /** The element types this reader supports, with their ONNX {@code TensorProto.DataType} codes. */
    public enum DataType {
        FLOAT(1, 4), INT64(7, 8), BOOL(9, 1), FLOAT16(10, 2);

        public final int code;
        /** Bytes per element in raw_data. */
        public final int bytes;

        DataType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        static DataType of(int code) {
            for (DataType t : values()) if (t.code == code) return t;
            throw new OnnxFormatException("unsupported tensor data_type " + code + " (" + onnxTypeName(code)
                    + "); supported: FLOAT (1), INT64 (7), BOOL (9), FLOAT16 (10)");
        }

        /** Whether values read as floats (FLOAT, and FLOAT16 widened). */
        public boolean isFloating() {
            return this == FLOAT || this == FLOAT16;
        }
    }

    private final String name;
    private final DataType type;
    private final long[] dims;
    private final float[] floats;
    private final long[] longs;
    private final boolean[] bools;

    private OnnxTensor(String name, DataType type, long[] dims, float[] floats, long[] longs, boolean[] bools) {
        this.name = name;
        this.type = type;
        this.dims = dims;
        this.floats = floats;
        this.longs = longs;
        this.bools = bools;
    }

    /** Reads a serialised {@code TensorProto} file. */
    public static OnnxTensor read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (OnnxFormatException e) {
            throw new OnnxFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a serialised {@code TensorProto}. */
    public static OnnxTensor parse(byte[] bytes) {
        return parse(new ProtoReader(bytes));
    }

    static OnnxTensor parse(ProtoReader r) {
        LongList dims = new LongList();
        LongList ints = new LongList();   // int32_data and int64_data: one or the other is used
        IntList floatBits = new IntList();
        byte[] raw = null;
        Integer dataType = null;
        String name = "";
        while (r.hasMore()) {
            int tag = r.readTag();
            int wt = ProtoReader.wireType(tag);
            switch (ProtoReader.field(tag)) {
                case 1 -> r.readVarints(wt, dims::add);
                case 2 -> dataType = (int) r.readVarint();
                case 3 -> throw new OnnxFormatException("segmented tensors are not supported");
                case 4 -> r.readFixed32s(wt, floatBits::add);
                case 5, 7 -> r.readVarints(wt, ints::add);
                case 8 -> name = r.readString();
                case 9 -> raw = r.readBytes();
                case 14 -> {
                    if (r.readVarint() == 1) {
                        throw new OnnxFormatException("tensor '" + name + "' keeps its data in an external file, which is not supported");
                    }
                }
                default -> r.skip(wt);
            }
        }
        if (dataType == null) throw new OnnxFormatException("tensor '" + name + "' has no data_type");
        DataType type = DataType.of(dataType);
        long[] shape = dims.toArray();
        int n = elementCount(name, shape);
        float[] floats = null;
        long[] longs = null;
        boolean[] bools = null;
        if (raw != null) {
            if (raw.length != (long) n * type.bytes) {
                throw new OnnxFormatException("tensor '" + name + "' " + type + " " + Arrays.toString(shape) + " needs "
                        + (long) n * type.bytes + " bytes of raw_data, has " + raw.length);
            }
            ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case FLOAT -> { floats = new float[n]; bb.asFloatBuffer().get(floats); }
                case FLOAT16 -> {
                    floats = new float[n];
                    for (int i = 0; i < n; i++) floats[i] = Float.float16ToFloat(bb.getShort(2 * i));
                }
                case INT64 -> { longs = new long[n]; bb.asLongBuffer().get(longs); }
                case BOOL -> { bools = new boolean[n]; for (int i = 0; i < n; i++) bools[i] = raw[i] != 0; }
            }
        } else {
            int have = type == DataType.FLOAT ? floatBits.size : ints.size;
            if (have != n) {
                throw new OnnxFormatException("tensor '" + name + "' " + type + " " + Arrays.toString(shape) + " needs " + n
                        + " values, has " + have + (type == DataType.FLOAT ? " in float_data" : " in int32_data/int64_data"));
            }
            switch (type) {
                case FLOAT -> { floats = new float[n]; for (int i = 0; i < n; i++) floats[i] = Float.intBitsToFloat(floatBits.get(i)); }
                // FLOAT16 without raw_data sits in int32_data as the 16-bit pattern
                case FLOAT16 -> { floats = new float[n]; for (int i = 0; i < n; i++) floats[i] = Float.float16ToFloat((short) ints.get(i)); }
                case INT64 -> longs = ints.toArray();
                case BOOL -> { bools = new boolean[n]; for (int i = 0; i < n; i++) bools[i] = ints.get(i) != 0; }
            }
        }
        return new OnnxTensor(name, type, shape, floats, longs, bools);
    }

    private static int elementCount(String name, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new OnnxFormatException("tensor '" + name + "' has a negative dim: " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new OnnxFormatException("tensor '" + name + "' " + Arrays.toString(dims) + " is too large for this reader");
            }
        }
        return (int) n;
    }

    public String name() { return name; }

    public DataType dataType() { return type; }

    public long[] dims() { return dims.clone(); }

    public int rank() { return dims.length; }

    /** Dim {@code axis}, which must fit an int. */
    public int dim(int axis) {
        return Math.toIntExact(dims[axis]);
    }

    /** The dims as ints (every dim here fits, since the element count does). */
    public int[] intDims() {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = (int) dims[i];
        return out;
    }

    public int size() {
        return type.isFloating() ? floats.length : type == DataType.INT64 ? longs.length : bools.length;
    }

    /** FLOAT values, or FLOAT16 values widened to float32; a copy. */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException("tensor '" + name + "' is " + type + ", not a float type");
        return floats.clone();
    }

    /** INT64 values; a copy. */
    public long[] longs() {
        if (longs == null) throw new IllegalStateException("tensor '" + name + "' is " + type + ", not INT64");
        return longs.clone();
    }

    /** BOOL values; a copy. */
    public boolean[] bools() {
        if (bools == null) throw new IllegalStateException("tensor '" + name + "' is " + type + ", not BOOL");
        return bools.clone();
    }

    /** "FLOAT16 [2, 3, 4, 8]". */
    public String describe() {
        return type + " " + Arrays.toString(dims);
    }

    @Override
    public String toString() {
        return "OnnxTensor '" + name + "' " + describe();
    }

    /** Names of the ONNX element types, for messages about the ones we do not read. */
    static String onnxTypeName(int code) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
        return code >= 0 && code < names.length ? names[code] : "type " + code;
    }

    /** A growable long array, so that repeated fields need no boxing. */
    private static final class LongList {
        long[] a = new long[8];
        int size;

        void add(long v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        long get(int i) { return a[i]; }

        long[] toArray() { return Arrays.copyOf(a, size); }
    }

    private static final class IntList {
        int[] a = new int[8];
        int size;

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        int get(int i) { return a[i]; }
    }
}
