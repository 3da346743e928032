/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import dev.ika4j.api.ScoreStage;
import java.util.Map;

/**
 * The attributes of an ONNX {@code Attention} node (opset 23/24), checked. An attribute this
 * project does not implement, or one it does not know, is an error: ignoring it would run a
 * different computation than the case describes and report a pass or fail that means nothing.
 *
 * @param qNumHeads  q_num_heads, 0 when absent (needed only for 3-D inputs)
 * @param kvNumHeads kv_num_heads, 0 when absent
 * @param causal     is_causal
 * @param scale      scale, or null for the default 1/sqrt(head_dim)
 * @param softcap    softcap, 0 for none
 * @param scoreStage qk_matmul_output_mode as the stage of the optional output qk_matmul_output
 *                   (mode 0, {@link ScoreStage#SCALED_QK}, when absent)
 */
record AttentionAttributes(int qNumHeads, int kvNumHeads, boolean causal, Double scale, double softcap,
                           ScoreStage scoreStage) {

    /** ONNX TensorProto.DataType codes of softmax precisions we meet or exceed (we work in float32 or wider). */
    private static final long FLOAT = 1, FLOAT16 = 10, BFLOAT16 = 16;

    static AttentionAttributes of(OnnxNode node) {
        int qHeads = 0, kvHeads = 0;
        boolean causal = false;
        Double scale = null;
        double softcap = 0;
        ScoreStage stage = ScoreStage.SCALED_QK;
        for (Map.Entry<String, OnnxAttribute> e : node.attributes().entrySet()) {
            OnnxAttribute a = e.getValue();
            switch (e.getKey()) {
                case "q_num_heads" -> qHeads = positiveInt(a);
                case "kv_num_heads" -> kvHeads = positiveInt(a);
                case "is_causal" -> {
                    long v = integer(a);
                    if (v != 0 && v != 1) throw unsupported(a, "is_causal must be 0 or 1");
                    causal = v == 1;
                }
                case "scale" -> scale = (double) real(a);
                case "softcap" -> softcap = real(a);
                case "qk_matmul_output_mode" -> {
                    long mode = integer(a);
                    if (mode < 0 || mode > 3) throw unsupported(a, "must be 0, 1, 2 or 3");
                    stage = ScoreStage.ofOnnxMode(mode);
                }
                case "softmax_precision" -> {
                    long t = integer(a);
                    if (t != FLOAT && t != FLOAT16 && t != BFLOAT16) {
                        throw unsupported(a, "backends compute the softmax in float32; precision "
                                + OnnxTensor.onnxTypeName((int) t) + " is not offered");
                    }
                }
                default -> throw unsupported(a, "not an Attention attribute this runner knows");
            }
        }
        return new AttentionAttributes(qHeads, kvHeads, causal, scale, softcap, stage);
    }

    private static long integer(OnnxAttribute a) {
        if (a.type() != OnnxAttribute.Type.INT) throw unsupported(a, "expected an INT attribute, got " + a.type());
        return a.i();
    }

    private static int positiveInt(OnnxAttribute a) {
        long v = integer(a);
        if (v < 1 || v > Integer.MAX_VALUE) throw unsupported(a, "must be a positive int");
        return (int) v;
    }

    private static float real(OnnxAttribute a) {
        if (a.type() != OnnxAttribute.Type.FLOAT) throw unsupported(a, "expected a FLOAT attribute, got " + a.type());
        return a.f();
    }

    private static IllegalArgumentException unsupported(OnnxAttribute a, String why) {
        return new IllegalArgumentException("unsupported attribute " + a + ": " + why);
    }
}
