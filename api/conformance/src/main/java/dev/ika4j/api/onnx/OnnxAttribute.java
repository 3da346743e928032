/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import java.util.Arrays;

/**
 * One attribute of an ONNX node ({@code AttributeProto}): its name, its type and the value of that
 * type. Attribute kinds this reader does not decode (tensors, graphs, ...) keep their type so that
 * callers can reject them by name.
 */
public record OnnxAttribute(String name, Type type, float f, long i, String s, float[] floats, long[] ints) {
    /** {@code AttributeProto.AttributeType}, by code. */
    public enum Type {
        UNDEFINED, FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS, TENSORS, GRAPHS, SPARSE_TENSOR,
        SPARSE_TENSORS, TYPE_PROTO, TYPE_PROTOS;

        static Type of(long code) {
            return code >= 0 && code < values().length ? values()[(int) code] : UNDEFINED;
        }
    }

    public OnnxAttribute {
        floats = floats.clone();
        ints = ints.clone();
    }

    @Override
    public float[] floats() { return floats.clone(); }

    @Override
    public long[] ints() { return ints.clone(); }

    /** The value as written in a model dump: "2", "0.5", "[1, 2]", "'abc'". */
    public String valueString() {
        return switch (type) {
            case FLOAT -> Float.toString(f);
            case INT -> Long.toString(i);
            case STRING -> "'" + s + "'";
            case FLOATS -> Arrays.toString(floats);
            case INTS -> Arrays.toString(ints);
            default -> "<" + type + ">";
        };
    }

    @Override
    public String toString() {
        return name + "=" + valueString();
    }

    static OnnxAttribute parse(ProtoReader r) {
        String name = "";
        long typeCode = 0;
        float f = 0;
        long i = 0;
        String s = "";
        boolean hasF = false, hasI = false, hasS = false;
        FloatCollector floats = new FloatCollector();
        LongCollector ints = new LongCollector();
        boolean other = false;
        while (r.hasMore()) {
            int tag = r.readTag();
            int wt = ProtoReader.wireType(tag);
            switch (ProtoReader.field(tag)) {
                case 1 -> name = r.readString();
                case 20 -> typeCode = r.readVarint();
                case 2 -> { f = r.readFloat(); hasF = true; }
                case 3 -> { i = r.readVarint(); hasI = true; }
                case 4 -> { s = r.readString(); hasS = true; }
                case 7 -> r.readFixed32s(wt, bits -> floats.add(Float.intBitsToFloat(bits)));
                case 8 -> r.readVarints(wt, ints::add);
                case 5, 6, 9, 10, 11, 14, 15, 22, 23 -> { other = true; r.skip(wt); }
                default -> r.skip(wt);
            }
        }
        Type type = Type.of(typeCode);
        if (type == Type.UNDEFINED) {
            // Models from before IR version 2 leave the type out; infer it from the field that is set.
            type = hasF ? Type.FLOAT : hasI ? Type.INT : hasS ? Type.STRING : floats.size > 0 ? Type.FLOATS
                    : ints.size > 0 ? Type.INTS : other ? Type.TENSOR : Type.UNDEFINED;
        }
        return new OnnxAttribute(name, type, f, i, s, floats.toArray(), ints.toArray());
    }

    private static final class FloatCollector {
        float[] a = new float[4];
        int size;

        void add(float v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        float[] toArray() { return Arrays.copyOf(a, size); }
    }

    private static final class LongCollector {
        long[] a = new long[4];
        int size;

        void add(long v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        long[] toArray() { return Arrays.copyOf(a, size); }
    }
}
