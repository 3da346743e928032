/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format (versions 1 to 3): reads float16, float32, float64 and bool arrays in C
 * order, either byte order; writes float16, float32 or float64, little-endian, C order, version 1.
 * (NumPy has no bfloat16 type, so neither does this.) Fortran-order files and
 * other dtypes are rejected with a message that names the file and what it holds.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** An array read from a file: its shape and its values widened to float64 (bool as 0 or 1). */
    public record Array(int[] shape, double[] data, String dtype) {
        public int rank() { return shape.length; }

        public float[] toFloats() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
            return f;
        }

        public boolean[] toBooleans() {
            boolean[] b = new boolean[data.length];
            for (int i = 0; i < b.length; i++) b[i] = data[i] != 0;
            return b;
        }

        public boolean isBool() { return dtype.equals("|b1"); }

        /** Whether the file held int32 or int64. */
        public boolean isInteger() { return dtype.equals("<i4") || dtype.equals("<i8"); }

        public long[] toLongs() {
            long[] l = new long[data.length];
            for (int i = 0; i < l.length; i++) l[i] = (long) data[i];
            return l;
        }

        /** Whether the file held float16 ({@code <f2} or {@code >f2}); the values are exact in {@link #data}. */
        public boolean isFloat16() { return dtype.equals("<f2"); }

        /** The float16 words of a float16 array (exact: its values came from float16). */
        public short[] toFloat16() {
            short[] h = new short[data.length];
            for (int i = 0; i < h.length; i++) h[i] = Float.floatToFloat16((float) data[i]);
            return h;
        }

        public String shapeString() { return Arrays.toString(shape); }
    }

    /**
     * Reads a .npy file. Every malformed file (cut short, a header length beyond the file, a
     * negative or overflowing shape, an unknown dtype) is an IllegalArgumentException whose message
     * names the file and what is wrong.
     */
    public static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String where = file.toString();
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException(where + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new IllegalArgumentException(where + " is cut short: " + bytes.length + " bytes, no header length");
            headerLen = bb.getInt(8) & 0xffffffffL;  // an unsigned 4-byte length
            start = 12;
        } else {
            throw new IllegalArgumentException(where + ": unsupported .npy version " + major);
        }
        if (start + headerLen > bytes.length) {
            throw new IllegalArgumentException(where + " is cut short: its header length " + headerLen + " goes beyond the file ("
                    + bytes.length + " bytes)");
        }
        String header = new String(bytes, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, where, "descr");
        if (group(FORTRAN, header, where, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(where + " is in Fortran order; save it in C order (np.ascontiguousarray)");
        }
        int[] shape = parseShape(group(SHAPE, header, where, "shape"), where);
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(where + ": negative dimension " + d + " in shape " + Arrays.toString(shape));
            // MAX_VALUE - 8: the most elements one Java array holds
            if (d > 0 && count > (Integer.MAX_VALUE - 8) / d) {
                throw new IllegalArgumentException(where + ": shape " + Arrays.toString(shape) + " has more elements than one array holds");
            }
            count *= d;
        }
        int width = switch (descr) {
            case "<f2", ">f2", "=f2" -> 2;
            case "<f4", ">f4", "=f4" -> 4;
            case "<f8", ">f8", "=f8" -> 8;
            case "|b1" -> 1;
            case "<i4", ">i4", "=i4" -> -4;   // negative: an integer of that many bytes
            case "<i8", ">i8", "=i8" -> -8;
            default -> throw new IllegalArgumentException(where + " holds dtype '" + descr
                    + "'; ika reads float16, float32, float64, bool, int32 or int64");
        };
        boolean integer = width < 0;
        width = Math.abs(width);
        long dataStart = start + headerLen;
        if ((long) bytes.length - dataStart < count * width) {
            throw new IllegalArgumentException(where + " is truncated: shape " + Arrays.toString(shape) + " of " + descr + " needs "
                    + count * width + " bytes, the file has " + (bytes.length - dataStart));
        }
        bb.order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[] data = new double[(int) count];
        for (int i = 0; i < data.length; i++) {
            int at = (int) dataStart + i * width;
            if (integer && width == 8) {
                long x = bb.getLong(at);
                // float64 holds every integer up to 2^53 exactly; beyond, a value would change
                if (Math.abs(x) > (1L << 53)) {
                    throw new IllegalArgumentException(where + ": int64 value " + x + " at index " + i + " is beyond 2^53");
                }
                data[i] = x;
                continue;
            }
            data[i] = integer ? bb.getInt(at) : switch (width) {
                case 2 -> Float.float16ToFloat(bb.getShort(at));
                case 4 -> bb.getFloat(at);
                case 8 -> bb.getDouble(at);
                default -> bytes[at] != 0 ? 1 : 0;
            };
        }
        String kind = descr.equals("|b1") ? "|b1" : integer ? (width == 4 ? "<i4" : "<i8") : "<f" + width;
        return new Array(shape, data, kind);
    }

    private static String group(Pattern p, String header, String where, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IllegalArgumentException(where + ": the .npy header has no '" + key + "': " + header.trim());
        return m.group(1);
    }

    private static int[] parseShape(String s, String where) {
        List<Integer> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            try {
                dims.add(Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": bad shape (" + s + "): '" + t + "' is not a dimension below 2^31");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Writes float32 values of the given shape. */
    public static void writeFloat32(Path file, float[] data, int... shape) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) body.putFloat(f);
        write(file, "<f4", shape, data.length, body.array());
    }

    /** Writes float16 words (raw IEEE binary16 bits) of the given shape: numpy's {@code <f2}. */
    public static void writeFloat16(Path file, short[] bits, int... shape) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : bits) body.putShort(h);
        write(file, "<f2", shape, bits.length, body.array());
    }

    /** Writes float64 values of the given shape. */
    public static void writeFloat64(Path file, double[] data, int... shape) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : data) body.putDouble(d);
        write(file, "<f8", shape, data.length, body.array());
    }

    /** Writes int32 values of the given shape. */
    public static void writeInt32(Path file, int[] data, int... shape) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : data) body.putInt(x);
        write(file, "<i4", shape, data.length, body.array());
    }

    /** Writes int64 values of the given shape. */
    public static void writeInt64(Path file, long[] data, int... shape) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : data) body.putLong(x);
        write(file, "<i8", shape, data.length, body.array());
    }

    private static void write(Path file, String descr, int[] shape, int count, byte[] body) throws IOException {
        long n = 1;
        for (int s : shape) n *= s;
        if (n != count) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + count);
        StringBuilder dims = new StringBuilder();
        for (int s : shape) dims.append(s).append(", ");
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shapeText);
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64 and ended by \n.
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        }
    }
}
