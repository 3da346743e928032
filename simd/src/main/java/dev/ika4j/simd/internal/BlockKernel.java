/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * What a kernel supplies to the {@link BlockDriver}: its logits, one tile at a time. Everything
 * else (the split into tasks, threads, worker scratch, masking, the energy, the online softmax and
 * P.V) is the driver's, so every kernel gets the same blocking, the same determinism (one task
 * computes each output row, in a fixed order) and the same thread-confinement check.
 *
 * <p>One instance per call, holding what the kernel precomputed for that call (read only while
 * the tasks run, so shared by all workers); per-worker state lives in the {@link BlockScratch}.
 */
public interface BlockKernel {
    /**
     * Starts query rows [i0, i0 + rows) of (b, h), whose keys are those of kv head kh, up to key
     * {@code keyEnd} (exclusive; every key any row of the block may see): loads the rows' query
     * side and makes sure the key side of [0, keyEnd) is ready in {@code w}.
     */
    void beginBlock(AttentionProblem p, BlockScratch w, int b, int h, int kh, int i0, int rows, int keyEnd);

    /**
     * Raw logits of the block's rows against keys [j0, j0 + width) into {@code w.s}, row r at
     * {@code r * BlockDriver.KEY_BLOCK}, column j - j0. j0 and width are multiples of
     * {@link PackedKeys#TILE}. For the t-th tile of the block, rows below
     * {@code w.tileRow0[t]} see none of its keys and need no work. The driver masks afterwards,
     * so logits of excluded keys may hold anything.
     */
    void logits(AttentionProblem p, BlockScratch w, int rows, int j0, int width);

    /**
     * A per-row constant of the kernel's logits that the softmax cancels, left out of
     * {@link #logits} and added back to the energy only; 0 for most kernels.
     */
    default double energyOffset(AttentionProblem p, BlockScratch w, int b, int h, int i) {
        return 0;
    }

    /** Tensors the tiles read besides Q, K and V (for the thread-confinement check); none by default. */
    default Tensor[] extraInputs() {
        return new Tensor[0];
    }

    /**
     * Whether to compute query rows one by one straight from K and V ({@link #row}) instead of in
     * packed blocks: for decoding, where so few rows use a kv head that packing it costs more than
     * the attention. Only a kernel with such a path says yes.
     */
    default boolean rowByRow(AttentionProblem p) {
        return false;
    }

    /**
     * Row i of every query head of kv head kh (b's heads kh * group .. kh * group + group - 1)
     * into out (and energy) when {@link #rowByRow} says so: the heads of a GQA group together, so
     * that a kernel may read each key and value once for all of them.
     */
    default void rows(AttentionProblem p, BlockScratch w, Tensor out, Tensor energy, int b, int kh, int i) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no row-by-row path");
    }
}
