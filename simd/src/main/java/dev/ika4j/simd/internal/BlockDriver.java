/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Settings;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fused block loop (FlashAttention-style) shared by every kernel: for each block of query
 * rows, for each block of keys, the kernel's {@link BlockKernel#logits} fill a small tile, the
 * driver masks it, writes the energy if asked, and the online softmax folds the tile into the
 * running output ({@link OnlineSoftmax}). No [q_seq, kv_seq] matrix is formed; memory per worker is
 * one key/value head plus a few tiles.
 *
 * <p>Work is split into tasks of one query block of one (batch, q head), ordered so that the q
 * heads sharing a kv head (GQA) and the blocks of one head follow each other: a worker reuses its
 * packed K/V as long as consecutive tasks stay on one kv head. Each task writes only its own rows,
 * so results are bit-identical for any thread count. Inputs in a thread-confined memory segment
 * run on the calling thread alone.
 */
public final class BlockDriver {
    private static final int TILE = PackedKeys.TILE;

    /**
     * Query rows per task. 64 rows x head dim 64 = 16 KiB of Q; each packed key tile (16 KiB at
     * dim 64) is loaded into L1 once and reused by all 16 row groups of the block, and each value
     * row by all 64 rows, so K and V traffic from L2 is 1/16 of the FMA operand traffic. Smaller
     * blocks would re-stream K/V more often; larger ones leave too few tasks to balance 2 threads
     * at seq 1024 (8 heads x 16 blocks = 128 tasks). Overridable for tuning (ika.simd.queryBlock).
     */
    public static final int QUERY_BLOCK = roundUp(Math.max(4, Settings.SIMD_QUERY_BLOCK.get(64)), 4);

    /**
     * Keys per softmax step, a multiple of TILE. The per-row softmax bookkeeping (a max and a sum
     * reduction, the rescale of the accumulator row) is paid once per block, so wider blocks
     * amortise it; 256 keys x 64 rows = 64 KiB of logits, which stays in L2 between the logit
     * pass and the P.V pass. Overridable for tuning (ika.simd.keyBlock).
     */
    public static final int KEY_BLOCK = roundUp(Math.max(TILE, Settings.SIMD_KEY_BLOCK.get(256)), TILE);

    private BlockDriver() {}

    /**
     * Computes the whole problem with {@code kernel} on {@code pool}, taking worker scratch from
     * {@code scratch}. Extra inputs the kernel names join the thread-confinement check.
     */
    public static void compute(AttentionProblem p, BlockKernel kernel, Tensor out, Tensor energy, WorkPool pool,
                               ScratchPool<BlockScratch> scratch) {
        int blocks = queryBlocks(p);
        // Row by row, a task takes the rows of all query heads of one kv head (see BlockKernel.rows).
        int units = p.batch() * (kernel.rowByRow(p) ? p.kvHeads() : p.qHeads());
        int runs = runsPerHead(blocks, units, pool.threads());
        int perRun = (blocks + runs - 1) / runs;
        pool.run(units * runs, shareable(p, kernel, out, energy), () -> {
            BlockScratch w = scratch.take(BlockScratch::new);
            w.prepare(p, kernel);
            return w;
        }, (w, task) -> runTask(p, kernel, out, energy, w, task, runs, perRun, blocks), scratch::give);
    }

    /**
     * Into how many tasks each head's query blocks are cut: about 16 tasks per thread in all, so
     * dynamic scheduling still balances uneven (causal) tasks, but no more. A task is a run of
     * consecutive blocks of one head, so its worker packs that head's keys and values once; with one
     * task per block, the blocks of a head went to alternating workers and each packed the head
     * again, which at short sequences (seq 256: four blocks per head) cost as much as a tenth of
     * the call per extra pack.
     */
    static int runsPerHead(int blocks, int units, int threads) {
        int wanted = 16 * threads;
        return Math.clamp((wanted + units - 1) / units, 1, blocks);
    }

    /** Whether the call's tensors may be touched from pool threads (see {@link WorkPool#shareable}). */
    public static boolean shareable(AttentionProblem p, BlockKernel kernel, Tensor out, Tensor energy) {
        List<Tensor> all = new ArrayList<>(Arrays.asList(p.q(), p.presentKey(), p.presentValue(), out, energy));
        all.addAll(Arrays.asList(kernel.extraInputs()));
        return WorkPool.shareable(all.toArray(Tensor[]::new));
    }

    static int queryBlocks(AttentionProblem p) { return (p.qSeq() + QUERY_BLOCK - 1) / QUERY_BLOCK; }

    private static void runTask(AttentionProblem p, BlockKernel kernel, Tensor out, Tensor energy, BlockScratch w, int task,
                                int runs, int perRun, int blocks) {
        int run = task % runs;
        int rest = task / runs;
        if (kernel.rowByRow(p)) {
            int kh = rest % p.kvHeads(), b = rest / p.kvHeads();
            int first = run * perRun * QUERY_BLOCK, last = Math.min(p.qSeq(), (run + 1) * perRun * QUERY_BLOCK);
            for (int i = first; i < last; i++) kernel.rows(p, w, out, energy, b, kh, i);
            return;
        }
        int g = rest % p.group();
        rest /= p.group();
        int kh = rest % p.kvHeads();
        int b = rest / p.kvHeads();
        int h = kh * p.group() + g;
        // Causal blocks grow with their index; starting each head with its largest run leaves the
        // small ones for the end of the queue, where they fill the gaps between threads.
        if (p.causal()) run = runs - 1 - run;
        int first = run * perRun, last = Math.min(blocks, first + perRun);
        for (int qb = first; qb < last; qb++) {
            int i0 = qb * QUERY_BLOCK;
            int rows = Math.min(QUERY_BLOCK, p.qSeq() - i0);
            queryBlock(p, kernel, out, energy, w, b, h, kh, i0, rows);
        }
    }

    /** Rows [i0, i0+rows) of (b, h). */
    static void queryBlock(AttentionProblem p, BlockKernel kernel, Tensor out, Tensor energy, BlockScratch w,
                           int b, int h, int kh, int i0, int rows) {
        // keyLimit grows with i, so the last row bounds the keys any row of the block can see:
        // key blocks past it are never touched (this is the causal skip). A band's edges grow with
        // i too: keys past the last row's right edge and tiles wholly left of the first row's left
        // edge are never touched either, and LogitMask masks each row at its own edges.
        int keyEnd = Math.min(p.keyLimit(b, i0 + rows - 1), LogitMask.bandEnd(p, i0 + rows - 1));
        int keyStart = Math.min(LogitMask.bandStart(p, i0), keyEnd) / TILE * TILE;
        kernel.beginBlock(p, w, b, h, kh, i0, rows, keyEnd);
        w.values.bind(p.presentValue(), b, kh);
        w.values.ensure(keyEnd);
        if (energy != null) {
            for (int r = 0; r < rows; r++) w.energyOffsets[r] = kernel.energyOffset(p, w, b, h, i0 + r);
        }
        float[] s = w.s;
        OnlineSoftmax softmax = w.softmax;
        softmax.reset(rows);
        int written = 0;
        // Per key tile, the first row (in whole groups of 4, the register tile's height) that sees
        // any of its keys: in a causal block, row groups above the diagonal skip the tiles they
        // cannot see, and the mask sets those logits to -inf.
        int firstLimit = p.keyLimit(b, i0);
        for (int j0 = keyStart; j0 < keyEnd; j0 += KEY_BLOCK) {
            int width = Math.min(KEY_BLOCK, roundUp(keyEnd - j0, TILE));
            for (int t = 0; t < width; t += TILE) {
                int j = j0 + t;
                w.tileRow0[t / TILE] = j < firstLimit ? 0 : firstRowSeeing(p, b, i0, rows, j) & ~3;
            }
            kernel.logits(p, w, rows, j0, width);
            for (int r = 0; r < rows; r++) {
                int off = r * KEY_BLOCK;
                LogitMask.apply(p, b, h, i0 + r, s, off, j0, width);
                if (energy != null) writeEnergy(p, w, energy, b, h, i0 + r, off, j0, width, w.energyOffsets[r]);
            }
            written = Math.min(p.kvSeq(), j0 + width);
            softmax.accumulate(s, KEY_BLOCK, rows, width, w.values, j0);
        }
        if (energy != null) {
            for (int r = 0; r < rows; r++) {
                LogitMask.fillEnergyMasked(energy, b, h, i0 + r, 0, Math.min(keyStart, p.kvSeq()));
                LogitMask.fillEnergyMasked(energy, b, h, i0 + r, Math.max(written, keyStart), p.kvSeq());
            }
        }
        softmax.finish(rows, out, b, h, i0);
    }

    /** The first row r of the block with keyLimit(i0 + r) > j (keyLimit grows with the row). */
    private static int firstRowSeeing(AttentionProblem p, int b, int i0, int rows, int j) {
        int r = 0;
        while (r < rows - 1 && p.keyLimit(b, i0 + r) <= j) r++;
        return r;
    }

    private static void writeEnergy(AttentionProblem p, BlockScratch w, Tensor energy, int b, int h, int i, int off, int j0,
                                    int width, double offset) {
        int n = Math.min(width, p.kvSeq() - j0);
        if (offset == 0) {
            LogitMask.writeEnergy(energy, b, h, i, j0, w.s, off, n);
            return;
        }
        float[] e = w.energyRow;
        for (int jj = 0; jj < n; jj++) e[jj] = (float) (w.s[off + jj] + offset);
        LogitMask.writeEnergy(energy, b, h, i, j0, e, 0, n);
    }

    public static int roundUp(int x, int m) { return (x + m - 1) / m * m; }
}
