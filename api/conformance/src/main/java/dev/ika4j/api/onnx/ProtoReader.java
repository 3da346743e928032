/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to read ONNX files: tags, varints, fixed 32/64-bit
 * values and length-delimited fields (https://protobuf.dev/programming-guides/encoding/). Reads a
 * window [pos, limit) of a byte array; a length-delimited field is read with {@link #message()},
 * which returns a reader over just that field.
 *
 * <p>Malformed input (truncated, an over-long varint, a group) throws
 * {@link OnnxFormatException}, never an index exception.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int limit;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Reads a field key; {@link #field} and {@link #wireType} split it. */
    int readTag() {
        long tag = readVarint();
        if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) throw malformed("invalid field tag " + tag);
        return (int) tag;
    }

    static int field(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = next();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) return value;
        }
        throw malformed("varint longer than 10 bytes");
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() {
        long lo = readFixed32() & 0xffffffffL;
        long hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    /** A reader over the next length-delimited field's bytes; this reader moves past them. */
    ProtoReader message() {
        int len = length();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    byte[] readBytes() {
        int len = length();
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    String readString() {
        int len = length();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /**
     * Reads the values of a repeated varint field, whichever encoding the writer chose: packed
     * (one length-delimited run) or one varint per key.
     */
    void readVarints(int wireType, LongSink sink) {
        if (wireType == VARINT) {
            sink.accept(readVarint());
        } else if (wireType == LENGTH_DELIMITED) {
            ProtoReader run = message();
            while (run.hasMore()) sink.accept(run.readVarint());
        } else {
            throw malformed("wire type " + wireType + " for a repeated varint field");
        }
    }

    /** Like {@link #readVarints} for a repeated 32-bit fixed field (float_data). */
    void readFixed32s(int wireType, IntSink sink) {
        if (wireType == FIXED32) {
            sink.accept(readFixed32());
        } else if (wireType == LENGTH_DELIMITED) {
            ProtoReader run = message();
            if ((run.limit - run.pos) % 4 != 0) throw malformed("packed fixed32 run of " + (run.limit - run.pos) + " bytes");
            while (run.hasMore()) sink.accept(run.readFixed32());
        } else {
            throw malformed("wire type " + wireType + " for a repeated fixed32 field");
        }
    }

    /** Skips a field's value of the given wire type. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> { need(8); pos += 8; }
            case LENGTH_DELIMITED -> {
                int len = length(); // read before pos: `pos += length()` would add to the stale pos
                pos += len;
            }
            case FIXED32 -> { need(4); pos += 4; }
            default -> throw malformed("unsupported wire type " + wireType + " (groups are not used by ONNX)");
        }
    }

    private int length() {
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw malformed("length " + len + " runs past the end (" + (limit - pos) + " bytes left)");
        }
        return (int) len;
    }

    private byte next() {
        need(1);
        return buf[pos++];
    }

    private void need(int n) {
        if (limit - pos < n) throw malformed("truncated: need " + n + " bytes, " + (limit - pos) + " left");
    }

    private OnnxFormatException malformed(String what) {
        return new OnnxFormatException("malformed protobuf at byte " + pos + ": " + what);
    }

    @FunctionalInterface
    interface LongSink {
        void accept(long v);
    }

    @FunctionalInterface
    interface IntSink {
        void accept(int v);
    }
}
