package dev.ika4j.simd.internal;

import dev.ika4j.api.Settings;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Fused standard attention (FlashAttention-style) on the CPU: for each block of query rows, for
 * each block of keys, logits = scaled Q.K^T into a small tile, softcap, mask, then the online
 * softmax folds the tile into the running output ({@link OnlineSoftmax}). No [q_seq, kv_seq]
 * matrix is formed; memory per worker is one key/value head plus a few tiles.
 *
 * <p>Work is split into tasks of one query block of one (batch, q head), ordered so that the q
 * heads sharing a kv head (GQA) and the blocks of one head follow each other: a worker reuses its
 * packed K/V as long as consecutive tasks stay on one kv head.
 */
public final class StandardAttention {
    private static final int TILE = PackedKeys.TILE;

    /**
     * Query rows per task. 64 rows x head dim 64 = 16 KiB of Q; each packed key tile (16 KiB at
     * dim 64) is loaded into L1 once and reused by all 16 row groups of the block, and each value
     * row by all 64 rows, so K and V traffic from L2 is 1/16 of the FMA operand traffic. Smaller
     * blocks would re-stream K/V more often; larger ones leave too few tasks to balance 2 threads
     * at seq 1024 (8 heads x 16 blocks = 128 tasks). Overridable for tuning (ika.simd.queryBlock).
     */
    static final int QUERY_BLOCK = roundUp(Math.max(4, Settings.SIMD_QUERY_BLOCK.get(64)), 4);

    /**
     * Keys per softmax step, a multiple of TILE. The per-row softmax bookkeeping (a max and a sum
     * reduction, the rescale of the accumulator row) is paid once per block, so wider blocks
     * amortise it; 256 keys x 64 rows = 64 KiB of logits, which stays in L2 between the Q.K^T
     * pass and the P.V pass. Overridable for tuning (ika.simd.keyBlock).
     */
    static final int KEY_BLOCK = roundUp(Math.max(TILE, Settings.SIMD_KEY_BLOCK.get(256)), TILE);

    private StandardAttention() {}

    /**
     * One worker's private state: packed K/V of its current kv head, tiles, softmax state.
     * Recycled across calls through a {@link ScratchPool}; {@link #prepare} resets it per call.
     */
    public static final class Scratch {
        final PackedKeys keys = new PackedKeys();
        final PackedValues values = new PackedValues();
        final float[] s = new float[QUERY_BLOCK * KEY_BLOCK];
        OnlineSoftmax softmax;
        float[] q = new float[0];
        float[] row = new float[0];
        float[] acc = new float[0];
        float[] kRow = new float[0];

        void prepare(AttentionProblem p) {
            // A recycled scratch may hold the packing of a tensor object the caller has since
            // refilled: never trust it across calls.
            keys.unbind();
            values.unbind();
            if (softmax == null || softmax.vDim() != p.vDim()) softmax = new OnlineSoftmax(QUERY_BLOCK, p.vDim());
            if (q.length < QUERY_BLOCK * p.dim()) q = new float[QUERY_BLOCK * p.dim()];
            if (directRows(p)) {
                int n = roundUp(Math.max(p.kvSeq(), 1), TILE);
                if (row.length < n) row = new float[n];
                if (acc.length < p.vDim()) acc = new float[p.vDim()];
                if (kRow.length < Math.max(p.dim(), p.vDim())) kRow = new float[Math.max(p.dim(), p.vDim())];
            }
        }
    }

    /** Computes the whole problem on {@code pool}, taking worker scratch from {@code scratch}. */
    public static void compute(AttentionProblem p, Tensor out, Tensor energy, WorkPool pool, ScratchPool<Scratch> scratch) {
        int blocks = queryBlocks(p);
        int tasks = p.batch() * p.qHeads() * blocks;
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey(), p.presentValue(), out, energy);
        pool.run(tasks, parallel, () -> {
            Scratch w = scratch.take(Scratch::new);
            w.prepare(p);
            return w;
        }, (w, task) -> runTask(p, out, energy, w, task, blocks), scratch::give);
    }

    static int queryBlocks(AttentionProblem p) { return (p.qSeq() + QUERY_BLOCK - 1) / QUERY_BLOCK; }

    private static void runTask(AttentionProblem p, Tensor out, Tensor energy, Scratch w, int task, int blocks) {
        int qb = task % blocks;
        int rest = task / blocks;
        int g = rest % p.group();
        rest /= p.group();
        int kh = rest % p.kvHeads();
        int b = rest / p.kvHeads();
        int h = kh * p.group() + g;
        // Causal blocks grow with their index; starting each head with its largest block leaves
        // the small ones for the end of the queue, where they fill the gaps between threads.
        if (p.causal()) qb = blocks - 1 - qb;
        int i0 = qb * QUERY_BLOCK;
        int rows = Math.min(QUERY_BLOCK, p.qSeq() - i0);
        queryBlock(p, out, energy, w, b, h, kh, i0, rows);
    }

    /**
     * Whether to skip packing and compute row by row on K and V as they are: when fewer than 4
     * query rows in all (single-token decoding, say) will use a kv head, transposing its keys
     * would cost several times the attention itself, and the 4-row register tiles cannot be
     * filled anyway.
     */
    static boolean directRows(AttentionProblem p) {
        return (long) p.qSeq() * p.group() < 4;
    }

    /** Rows [i0, i0+rows) of (b, h). */
    static void queryBlock(AttentionProblem p, Tensor out, Tensor energy, Scratch w, int b, int h, int kh, int i0, int rows) {
        if (directRows(p)) {
            for (int r = 0; r < rows; r++) DirectRow.compute(p, out, energy, w.q, w.row, w.acc, w.kRow, b, h, kh, i0 + r);
            return;
        }
        int dim = p.dim();
        // keyLimit grows with i, so the last row bounds the keys any row of the block can see:
        // key blocks past it are never touched (this is the causal skip).
        int keyEnd = p.keyLimit(b, i0 + rows - 1);
        w.keys.bind(p.presentKey(), b, kh);
        w.values.bind(p.presentValue(), b, kh);
        w.keys.ensure(keyEnd);
        w.values.ensure(keyEnd);

        float[] q = w.q;
        for (int r = 0; r < rows; r++) p.q().readRow(b, h, i0 + r, q, r * dim);
        // The scale is folded into Q once rather than applied to every logit.
        VectorMath.scale(q, 0, rows * dim, p.scale());

        float[] s = w.s;
        float[] kt = w.keys.data();
        OnlineSoftmax softmax = w.softmax;
        softmax.reset(rows);
        int written = 0;
        for (int j0 = 0; j0 < keyEnd; j0 += KEY_BLOCK) {
            int width = Math.min(KEY_BLOCK, roundUp(keyEnd - j0, TILE));
            // Tile outer, rows inner: one packed key tile stays in L1 while every row group of
            // the block is multiplied against it.
            for (int t = 0; t < width; t += TILE) {
                StandardLogits.tile(q, 0, rows, dim, kt, w.keys.tileOffset((j0 + t) / TILE), s, t, KEY_BLOCK);
            }
            for (int r = 0; r < rows; r++) {
                int off = r * KEY_BLOCK;
                if (p.softcap() > 0) StandardLogits.softcap(s, off, width, p.softcap());
                LogitMask.apply(p, b, h, i0 + r, s, off, j0, width);
                if (energy != null) LogitMask.writeEnergy(energy, b, h, i0 + r, j0, s, off, Math.min(width, p.kvSeq() - j0));
            }
            written = Math.min(p.kvSeq(), j0 + width);
            softmax.accumulate(s, KEY_BLOCK, rows, width, w.values, j0);
        }
        if (energy != null) {
            for (int r = 0; r < rows; r++) LogitMask.fillEnergyMasked(energy, b, h, i0 + r, written, p.kvSeq());
        }
        softmax.finish(rows, out, b, h, i0);
    }

    static int roundUp(int x, int m) { return (x + m - 1) / m * m; }
}
