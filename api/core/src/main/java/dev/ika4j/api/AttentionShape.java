/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * The shape of an attention call, without its data: what {@link AttentionBackend#warmUp} is told
 * to prepare for.
 *
 * @param batch   batch size
 * @param qHeads  query heads
 * @param kvHeads key/value heads (a divisor of {@code qHeads}; fewer for grouped-query attention)
 * @param qSeq    query positions
 * @param kvSeq   key/value positions
 * @param headDim head size of Q and K
 * @param vDim    head size of V
 */
public record AttentionShape(int batch, int qHeads, int kvHeads, int qSeq, int kvSeq, int headDim, int vDim) {
    public AttentionShape {
        if (batch < 1 || qHeads < 1 || kvHeads < 1 || qSeq < 1 || kvSeq < 1 || headDim < 1 || vDim < 1) {
            throw new IllegalArgumentException("every size must be >= 1: " + describe(batch, qHeads, kvHeads, qSeq, kvSeq,
                    headDim, vDim));
        }
        if (qHeads % kvHeads != 0) {
            throw new IllegalArgumentException("qHeads must be a multiple of kvHeads: " + describe(batch, qHeads, kvHeads,
                    qSeq, kvSeq, headDim, vDim));
        }
    }

    /** Self-attention: as many key/value heads and positions as query ones, V as wide as Q. */
    public static AttentionShape of(int batch, int heads, int seq, int headDim) {
        return new AttentionShape(batch, heads, heads, seq, seq, headDim, headDim);
    }

    private static String describe(int b, int hq, int hkv, int lq, int lkv, int d, int dv) {
        return "batch " + b + ", qHeads " + hq + ", kvHeads " + hkv + ", qSeq " + lq + ", kvSeq " + lkv + ", headDim " + d
                + ", vDim " + dv;
    }
}
