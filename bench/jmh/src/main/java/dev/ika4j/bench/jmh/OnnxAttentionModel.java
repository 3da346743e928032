/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

/**
 * Builds, in code, the one-node ONNX models the ONNX Runtime peer runs. Field numbers are those of
 * onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto, TypeProto).
 */
final class OnnxAttentionModel {
    private static final int FLOAT = 1;         // TensorProto.DataType.FLOAT
    private static final int ATTR_INT = 2;      // AttributeProto.AttributeType.INT
    /** IR version 11 is the one that introduced opset 23 (ONNX 1.18). */
    private static final long IR_VERSION = 11;

    private OnnxAttentionModel() {}

    /**
     * The standard ONNX Attention operator (opset 23), 4-D inputs Q [b, h, s, d], K and V
     * [b, h, s, d], output Y [b, h, s, d]; default scale 1/sqrt(d).
     */
    static byte[] opset23Attention(int batch, int heads, int seq, int dim, boolean causal) {
        return opset23Attention(batch, heads, heads, seq, seq, dim, causal);
    }

    /**
     * As above with K and V of {@code kvHeads} heads and {@code kvSeq} keys: the operator's own
     * grouped-query attention (q heads a multiple of kv heads) and cross-length attention.
     */
    static byte[] opset23Attention(int batch, int heads, int kvHeads, int seq, int kvSeq, int dim, boolean causal) {
        long[] shape = {batch, heads, seq, dim}, kvShape = {batch, kvHeads, kvSeq, dim};
        ProtoWriter node = new ProtoWriter()
                .string(1, "Q").string(1, "K").string(1, "V")
                .string(2, "Y")
                .string(3, "attention")
                .string(4, "Attention")
                .message(5, intAttribute("is_causal", causal ? 1 : 0));
        ProtoWriter graph = new ProtoWriter()
                .message(1, node)
                .string(2, "ika4j-bench-attention")
                .message(11, tensorInfo("Q", shape))
                .message(11, tensorInfo("K", kvShape))
                .message(11, tensorInfo("V", kvShape))
                .message(12, tensorInfo("Y", shape));
        return model(graph, opset("", 23));
    }

    /**
     * ONNX Runtime's own contrib operator com.microsoft.MultiHeadAttention on the packed 3-D layout
     * [b, s, h*d]; {@code unidirectional} is its causal switch.
     */
    static byte[] contribMultiHeadAttention(int batch, int heads, int seq, int dim, boolean causal) {
        return contribMultiHeadAttention(batch, heads, seq, seq, dim, causal);
    }

    /** As above with {@code kvSeq} keys (the operator has no grouped heads: K and V carry every q head). */
    static byte[] contribMultiHeadAttention(int batch, int heads, int seq, int kvSeq, int dim, boolean causal) {
        long[] shape = {batch, seq, (long) heads * dim}, kvShape = {batch, kvSeq, (long) heads * dim};
        ProtoWriter node = new ProtoWriter()
                .string(1, "query").string(1, "key").string(1, "value")
                .string(2, "output")
                .string(3, "mha")
                .string(4, "MultiHeadAttention")
                .message(5, intAttribute("num_heads", heads))
                .message(5, intAttribute("unidirectional", causal ? 1 : 0))
                .string(7, "com.microsoft");
        ProtoWriter graph = new ProtoWriter()
                .message(1, node)
                .string(2, "ika4j-bench-mha")
                .message(11, tensorInfo("query", shape))
                .message(11, tensorInfo("key", kvShape))
                .message(11, tensorInfo("value", kvShape))
                .message(12, tensorInfo("output", shape));
        return model(graph, opset("", 23), opset("com.microsoft", 1));
    }

    private static byte[] model(ProtoWriter graph, ProtoWriter... opsets) {
        ProtoWriter m = new ProtoWriter().int64(1, IR_VERSION).string(2, "ika4j-bench");
        for (ProtoWriter o : opsets) m.message(8, o);
        return m.message(7, graph).toByteArray();
    }

    private static ProtoWriter opset(String domain, long version) {
        return new ProtoWriter().string(1, domain).int64(2, version);
    }

    private static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).int64(3, value).int64(20, ATTR_INT);
    }

    private static ProtoWriter tensorInfo(String name, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) shape.message(1, new ProtoWriter().int64(1, d));
        ProtoWriter tensorType = new ProtoWriter().int64(1, FLOAT).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, name).message(2, type);
    }
}
