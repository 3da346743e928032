/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.spi.AttentionProblem;

/** The forward's masking of one logit row: keys past the limit or with a -inf bias get -inf. */
final class KeyMasking {
    private KeyMasking() {}

    /**
     * Applies causal, lengths and the mask to {@code logits[0 .. kvSeq)} in place and sets the
     * padding [kvSeq, padded) to -inf; {@code bias} is scratch of at least kvSeq.
     */
    static void apply(AttentionProblem p, int b, int h, int i, float[] logits, float[] bias, int padded) {
        int limit = p.keyLimit(b, i);
        if (p.mask() != null) {
            p.mask().biasRow(b, h, i, bias, p.kvSeq());
            for (int j = 0; j < limit; j++) {
                logits[j] = bias[j] == Float.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : logits[j] + bias[j];
            }
        }
        java.util.Arrays.fill(logits, limit, padded, Float.NEGATIVE_INFINITY);
    }
}
