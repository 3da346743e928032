/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Standard scaled dot-product attention as a {@link BlockKernel}: logits = (scale Q) . K^T from the
 * packed key tiles ({@link PackedKeys}, {@link StandardLogits}), soft-capped when asked. The block
 * loop, masking and softmax are the {@link BlockDriver}'s. Decoding (fewer than 4 query rows per
 * kv head) goes row by row straight from K and V ({@link DirectRow}).
 */
public final class StandardAttention implements BlockKernel {
    private static final int TILE = PackedKeys.TILE;
    private static final StandardAttention INSTANCE = new StandardAttention();

    private StandardAttention() {}

    /** Computes the whole problem on {@code pool}, taking worker scratch from {@code scratch}. */
    public static void compute(AttentionProblem p, Tensor out, Tensor energy, WorkPool pool, ScratchPool<BlockScratch> scratch) {
        BlockDriver.compute(p, INSTANCE, out, energy, pool, scratch);
    }

    @Override
    public void beginBlock(AttentionProblem p, BlockScratch w, int b, int h, int kh, int i0, int rows, int keyEnd) {
        w.keys.bind(p.presentKey(), b, kh);
        w.keys.ensure(keyEnd);
        int dim = p.dim();
        float[] q = w.q;
        for (int r = 0; r < rows; r++) p.q().readRow(b, h, i0 + r, q, r * dim);
        // The scale is folded into Q once rather than applied to every logit; rows where that
        // overflows get exact logits in logits().
        w.fold.begin(ScaleFold.apply(q, 0, rows, dim, p.scale(), w.fold.flagged), b, h, kh, i0, keyEnd);
        w.qSide = q;
        w.qOff = 0;
        w.kSide = w.keys.data();
    }

    @Override
    public void logits(AttentionProblem p, BlockScratch w, int rows, int j0, int width) {
        tiles(w, p.dim(), rows, j0, width);
        if (w.fold.any) w.fold.exactRows(p, w.s, BlockDriver.KEY_BLOCK, rows, j0, width);
        if (p.softcap() > 0) {
            for (int r = 0; r < rows; r++) StandardLogits.softcap(w.s, r * BlockDriver.KEY_BLOCK, width, p.softcap());
        }
    }

    /**
     * The dot products of the block's query side ({@code w.qSide} from {@code w.qOff}, rows of
     * {@code dim} floats) with the key side's packed tiles ({@code w.kSide}, TILE x dim each),
     * tile outer and rows inner: one packed key tile stays in L1 while every row group of the block
     * is multiplied against it. Shared by every kernel whose logits start from such dots.
     */
    public static void tiles(BlockScratch w, int dim, int rows, int j0, int width) {
        for (int t = 0; t < width; t += TILE) {
            int r0 = w.tileRow0[t / TILE];
            StandardLogits.tile(w.qSide, w.qOff + r0 * dim, rows - r0, dim, w.kSide, ((j0 + t) / TILE) * TILE * dim, w.s,
                    r0 * BlockDriver.KEY_BLOCK + t, BlockDriver.KEY_BLOCK);
        }
    }

    /**
     * The largest GQA group whose single-token step goes straight from K and V: each key is then
     * dotted with this many query rows, one horizontal sum each, while it sits in L1; up to 8 that
     * stays within the time the row takes to arrive from memory, beyond it the packed 4-row tiles
     * are cheaper.
     */
    static final int DIRECT_GROUP = 8;

    /**
     * Row by row when fewer than 4 query rows in all will use a kv head (single-token decoding,
     * say), or for a single-token step of a GQA group of up to {@link #DIRECT_GROUP} heads: packing
     * the keys would cost several times the attention itself, and read the cache once more.
     */
    @Override
    public boolean rowByRow(AttentionProblem p) {
        return (long) p.qSeq() * p.group() < 4 || (p.qSeq() == 1 && p.group() <= DIRECT_GROUP);
    }

    @Override
    public void rows(AttentionProblem p, BlockScratch w, Tensor out, Tensor energy, int b, int kh, int i) {
        DirectRow.compute(p, out, energy, w.q, w.row, w.acc, w.tmp, w.qRow, b, kh, i);
    }
}
