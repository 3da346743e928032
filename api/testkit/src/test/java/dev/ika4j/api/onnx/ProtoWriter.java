/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A protobuf wire-format writer for building test files by hand; the inverse of ProtoReader. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return this;
    }

    ProtoWriter fixed32(int field, int bits) {
        tag(field, 5);
        rawFixed32(bits);
        return this;
    }

    ProtoWriter floatField(int field, float v) {
        return fixed32(field, Float.floatToRawIntBits(v));
    }

    ProtoWriter bytes(int field, byte[] b) {
        tag(field, 2);
        rawVarint(b.length);
        out.writeBytes(b);
        return this;
    }

    ProtoWriter string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, ProtoWriter m) {
        return bytes(field, m.toByteArray());
    }

    /** A packed run of varints. */
    ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter run = new ProtoWriter();
        for (long v : values) run.rawVarint(v);
        return bytes(field, run.toByteArray());
    }

    ProtoWriter packedFloats(int field, float... values) {
        ProtoWriter run = new ProtoWriter();
        for (float v : values) run.rawFixed32(Float.floatToRawIntBits(v));
        return bytes(field, run.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint((long) field << 3 | wireType);
    }

    private void rawVarint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void rawFixed32(int bits) {
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i) & 0xff);
    }

    // ---- ONNX messages

    /** An ONNX model of one node with the given graph inputs/outputs (names only). */
    static byte[] model(ProtoWriter node, String[] graphInputs, String[] graphOutputs) {
        ProtoWriter graph = new ProtoWriter().message(1, node).string(2, "test");
        for (String in : graphInputs) graph.message(11, new ProtoWriter().string(1, in));
        for (String o : graphOutputs) graph.message(12, new ProtoWriter().string(1, o));
        return new ProtoWriter().varint(1, 8).message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 23)).toByteArray();
    }

    static ProtoWriter node(String opType, String[] inputs, String[] outputs, ProtoWriter... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) n.string(1, in);
        for (String o : outputs) n.string(2, o);
        n.string(4, opType);
        for (ProtoWriter a : attributes) n.message(5, a);
        return n;
    }

    static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, 2);
    }

    static ProtoWriter floatAttribute(String name, float value) {
        return new ProtoWriter().string(1, name).floatField(2, value).varint(20, 1);
    }
}
