/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.spi.AttentionProblem;

/**
 * One worker's private buffers for the {@link BlockDriver}, recycled across calls and kernels
 * through a {@link ScratchPool}; {@link #prepare} resets it per call. Not thread-safe: exactly one
 * worker uses it at a time.
 *
 * <p>The kernel-owned part: {@link #keys} (packed by kernels whose key side is K itself),
 * {@link #q} (the block's query rows as the kernel wants them) and the array references a kernel
 * sets in {@link BlockKernel#beginBlock} for its {@link BlockKernel#logits}.
 */
public final class BlockScratch {
    public final PackedKeys keys = new PackedKeys();
    public final PackedValues values = new PackedValues();
    /** Logit tile: QUERY_BLOCK rows of KEY_BLOCK floats. */
    public final float[] s = new float[BlockDriver.QUERY_BLOCK * BlockDriver.KEY_BLOCK];
    final float[] energyRow = new float[BlockDriver.KEY_BLOCK];
    final double[] energyOffsets = new double[BlockDriver.QUERY_BLOCK];
    /** One row's importance-dropout factors over the key block (see DropoutFactors). */
    public final double[] dropoutFactors = new double[BlockDriver.KEY_BLOCK];
    /**
     * For tile t of the current key block, the first row (a multiple of 4) that sees any of its
     * keys; {@link BlockKernel#logits} may skip the rows above it (they are masked).
     */
    public final int[] tileRow0 = new int[BlockDriver.KEY_BLOCK / PackedKeys.TILE];
    OnlineSoftmax softmax;
    /** Query rows of the current block, as the kernel loads them (QUERY_BLOCK x dim at least). */
    public float[] q = new float[0];
    /** Kernel-set: the query-side array and offset of the block's first row, the key-side array, a per-key bias. */
    public float[] qSide, kSide, keyBias;
    public int qOff;
    /** Kernel-set where its logits depend on the position: the block's batch, query head and first query row. */
    public int block, blockHead, blockRow0;
    // Row-by-row path buffers.
    public float[] row = new float[0], acc = new float[0], tmp = new float[0], qRow = new float[0];
    /** Standard attention's rows whose folded scale overflowed, for the exact recomputation. */
    public final ScaleFold.State fold = new ScaleFold.State(BlockDriver.QUERY_BLOCK);

    void prepare(AttentionProblem p, BlockKernel kernel) {
        // A recycled scratch may hold the packing of a tensor object the caller has since
        // refilled: never trust it across calls.
        keys.unbind();
        values.unbind();
        qSide = kSide = keyBias = null;
        if (softmax == null || softmax.vDim() != p.vDim()) softmax = new OnlineSoftmax(BlockDriver.QUERY_BLOCK, p.vDim());
        if (q.length < BlockDriver.QUERY_BLOCK * p.dim()) q = new float[BlockDriver.QUERY_BLOCK * p.dim()];
        if (kernel.rowByRow(p)) {
            // A row of every query head of one kv head at a time (BlockKernel.rows).
            int g = p.group(), n = BlockDriver.roundUp(Math.max(p.kvSeq(), 1), PackedKeys.TILE);
            if (row.length < g * n) row = new float[g * n];
            if (acc.length < 3 * g * p.vDim()) acc = new float[3 * g * p.vDim()];
            if (q.length < g * p.dim()) q = new float[g * p.dim()];
            int wide = Math.max(p.dim(), p.vDim());
            if (tmp.length < wide) tmp = new float[wide];
            if (qRow.length < wide) qRow = new float[wide];
        }
    }
}
