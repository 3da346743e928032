/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * Where in standard attention's score pipeline the optional scores output is taken: the ONNX
 * {@code Attention} operator's output {@code qk_matmul_output}, chosen by its attribute
 * {@code qk_matmul_output_mode}. The pipeline (opset 23/24, ONNX 1.22) is
 *
 * <pre>
 *   S0 = scale * Q.K^T                 SCALED_QK      (mode 0)
 *   S1 = softcap * tanh(S0 / softcap)  AFTER_SOFTCAP  (mode 1; S1 = S0 without a softcap)
 *   S2 = S1 + bias                     AFTER_MASK     (mode 2)
 *   P  = softmax(S2) over the keys     AFTER_SOFTMAX  (mode 3)
 *   Y  = P.V
 * </pre>
 *
 * where bias is the attention mask (additive, or boolean as 0 / -inf), -inf above the causal
 * diagonal (query i sees keys {@code j <= past_len + i}) and -inf at keys beyond a batch's valid length.
 * The scores are [batch, q_heads, q_seq, total_kv_seq] (past keys included), one row per query
 * head also under grouped-query attention.
 *
 * <p>Rules shared with the output Y: at AFTER_MASK a masked key holds exactly -inf whatever its
 * score (NaN in a masked key does not leak); at AFTER_SOFTMAX a masked key holds 0, a row whose
 * every key is masked is all zeros (its Y row is zeros too, where ONNX's reference would give NaN),
 * and a row with a NaN or +inf logit is NaN.
 *
 * <p>Where ONNX's sources disagree: its Python reference implementation (onnx/reference/ops/
 * op_attention.py, 1.22) returns the soft-capped scores in mode 0 when a softcap is set, while the
 * operator's text and its function body (onnx/defs/nn/defs.cc) return the raw scaled Q.K^T; this
 * follows the text. No ONNX 1.22 node test sets mode 0 with a softcap. ONNX 1.18 to 1.21 put the
 * mask before the softcap and numbered mode 1 "after the mask", mode 2 "after the softcap"; 1.22
 * changed both for opsets 23 and 24 (so that a -inf mask stays -inf), and its test data, which this
 * passes, follows 1.22.
 */
public enum ScoreStage {
    /** scale * Q.K^T, before soft-capping and masks (ONNX mode 0). */
    SCALED_QK(0),
    /** After soft-capping, before any mask (ONNX mode 1); equal to {@link #SCALED_QK} without a softcap. */
    AFTER_SOFTCAP(1),
    /** After the attention mask, causal mask and valid lengths are added: the softmax's input (ONNX mode 2). */
    AFTER_MASK(2),
    /** The attention probabilities, the softmax over the keys (ONNX mode 3). */
    AFTER_SOFTMAX(3);

    private final int onnxMode;

    ScoreStage(int onnxMode) {
        this.onnxMode = onnxMode;
    }

    /** The value of the ONNX attribute {@code qk_matmul_output_mode} that selects this stage. */
    public int onnxMode() {
        return onnxMode;
    }

    /** The stage an ONNX {@code qk_matmul_output_mode} value selects. */
    public static ScoreStage ofOnnxMode(long mode) {
        for (ScoreStage s : values()) if (s.onnxMode == mode) return s;
        throw new IllegalArgumentException("qk_matmul_output_mode must be 0, 1, 2 or 3, got " + mode);
    }
}
