/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Objects;

/**
 * What an attention call returns.
 *
 * @param output       [batch, q_heads, q_seq, v_dim], in the layout of Q
 * @param presentKey   past K followed by K, [batch, kv_heads, past+kv_seq, head_dim]; K itself when no
 *                     past was given
 * @param presentValue likewise for V
 * @param energy       the logits before the softmax, [batch, q_heads, q_seq, total_kv_seq], masked
 *                     entries -inf; null unless requested
 * @param regularizer  the term a kernel asks to be added to the training loss (the copula kernel's
 *                     KL and entropy terms); 0 for kernels without one
 * @param scores       standard attention's scores at the stage {@link AttentionOptions#scoresOutput()}
 *                     asked for ({@link ScoreStage}), [batch, q_heads, q_seq, total_kv_seq]: the ONNX
 *                     output qk_matmul_output; null unless requested
 */
public record AttentionResult(Tensor output, Tensor presentKey, Tensor presentValue, Tensor energy, double regularizer,
                              Tensor scores) {
    public AttentionResult {
        Objects.requireNonNull(output, "output");
    }

    /** A result without a scores output. */
    public AttentionResult(Tensor output, Tensor presentKey, Tensor presentValue, Tensor energy, double regularizer) {
        this(output, presentKey, presentValue, energy, regularizer, null);
    }
}
