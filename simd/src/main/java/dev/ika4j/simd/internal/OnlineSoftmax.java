/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel-independent second half of fused attention: softmax over the keys with a running max
 * (so exp never overflows and no [q_seq, kv_seq] matrix is ever stored), followed by P.V, for one
 * block of query rows. Any kernel that can produce a block of final logits (already masked, -inf
 * where a key is excluded) plugs in here:
 *
 * <pre>{@code
 * softmax.reset(rows);
 * for each key block [j0, j0 + width):        // j0 and width multiples of PackedKeys.TILE
 *     fill logits[r * ld + jj] for r < rows, jj < width (padding columns at -inf);
 *     softmax.accumulate(logits, ld, rows, width, values, j0);
 * softmax.finish(rows, out, b, h, i0);
 * }</pre>
 *
 * For each row the block step is m' = max(m, max_j s_j), P_j = exp(s_j - m'),
 * l' = l * exp(m - m') + sum_j P_j, O' = O * exp(m - m') + P.V. At the end out = O / l.
 *
 * <p>Semantics (the NaN rule of {@code AttentionBackend}): a key whose final logit is -inf (masked
 * by a boolean mask, a -inf bias, causal, valid lengths, padding) contributes nothing, not even
 * 0 * v; every other key contributes P_j * v_j under IEEE arithmetic, even when P_j underflowed to
 * 0, so NaN or inf in its value reaches the row, as in the float64 reference. A row whose keys are
 * all masked keeps m = -inf and l = 0 and is written as zeros; NaN in any logit turns P, l and so
 * the whole row into NaN. The row max ignores NaN on purpose: NaN reaches the row through exp(NaN).
 *
 * <p>Summation error: each block's sums (l and P.V) start from zero, no chain of float additions
 * within a block is longer than one key tile, and the block sums are added to the running ones
 * with Kahan compensation, so the relative error of l and of O stays at a few float ulps
 * (about (TILE + KEY_BLOCK / TILE) * 2^-24, under 1e-5) whatever the number of keys. Overflow: when
 * the values are so large that n * max|v| could exceed the float range, the weights are shifted
 * down by a power of two (exp(s - m' - K)), which the final division by l cancels; so the output,
 * a weighted average, stays finite wherever it is finite exactly (|v| up to 2^127). Both cost
 * nothing per key: a few vector operations per row and key block.
 *
 * <p>One instance per worker thread; not thread-safe.
 */
public final class OnlineSoftmax {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int TILE = PackedKeys.TILE;
    private static final int CHUNK = PackedValues.CHUNK;
    /** Bits of -0.0f: how the marked exp pass tags a masked key's weight. */
    private static final int MASKED_BITS = 0x80000000;

    private final int maxRows, vDim, stride;
    /** Per row: the running max logit and the shift the current sums are relative to. */
    private final float[] m, shift, alpha;
    /** Running sums l, one vector of lane-wise partial sums per row (and its Kahan compensation). */
    private final float[] lanes, lanesComp, blockLanes;
    /** Running O per row, its Kahan compensation, and the current block's P.V. */
    private final float[] o, oComp, blk;
    /** The weight shift K (a multiple of ln 2) that keeps sum P_j v_j in the float range; 0 usually. */
    private float headroom;
    /**
     * True until the first block of the current query block is folded in. Then O, l and their
     * compensations are all zero, so the block's sums are the running sums exactly (0 * 0 + x
     * under Kahan is x): that block's P.V goes straight into O and its exp sums into l, with no
     * zeroing of a block buffer and no compensated add. At seq 128 (one key block per row) the
     * skipped passes were about a tenth of a call.
     */
    private boolean fresh;

    /**
     * @param maxRows the most query rows per block
     * @param vDim    the value head size (accumulator rows are padded to whole vectors)
     */
    public OnlineSoftmax(int maxRows, int vDim) {
        this.maxRows = maxRows;
        this.vDim = vDim;
        this.stride = PackedValues.strideFor(vDim);
        this.m = new float[maxRows];
        this.shift = new float[maxRows];
        this.alpha = new float[maxRows];
        this.lanes = new float[maxRows * L];
        this.lanesComp = new float[maxRows * L];
        this.blockLanes = new float[maxRows * L];
        this.o = new float[maxRows * stride];
        this.oComp = new float[maxRows * stride];
        this.blk = new float[maxRows * stride];
    }

    /** Starts a new query block of {@code rows} rows. */
    public void reset(int rows) {
        if (rows > maxRows) throw new IllegalArgumentException("rows " + rows + " > capacity " + maxRows);
        Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(shift, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(lanes, 0, rows * L, 0f);
        Arrays.fill(lanesComp, 0, rows * L, 0f);
        Arrays.fill(o, 0, rows * stride, 0f);
        Arrays.fill(oComp, 0, rows * stride, 0f);
        headroom = 0f;
        fresh = true;
    }

    /**
     * Folds one block of logits into the running state. The logits are overwritten with the
     * unnormalised weights P.
     *
     * @param s      logits, row r of the block at {@code s[r * ld ...]}
     * @param width  keys in the block: a multiple of {@link PackedKeys#TILE}; padding keys must be -inf
     * @param values the values of this (batch, kv head), packed at least to {@code j0 + width}
     * @param j0     the block's first key, a multiple of {@link PackedKeys#TILE}
     */
    public void accumulate(float[] s, int ld, int rows, int width, PackedValues values, int j0) {
        boolean finite = values.finite(j0, width);
        headroom = Math.max(headroom, values.headroom());
        for (int r = 0; r < rows; r++) {
            int off = r * ld;
            float blockMax = VectorMath.maxIgnoringNaN(s, off, width);
            float mNew = blockMax > m[r] ? blockMax : m[r];
            // While every key so far is masked, mNew is -inf and -inf - -inf would be NaN; shifting
            // by 0 instead makes every weight exp(-inf) = 0.
            float sh = mNew == Float.NEGATIVE_INFINITY ? 0f : mNew + headroom;
            // exp(-inf) = 0 for the first block; 0 * NaN keeps a NaN row NaN.
            alpha[r] = VectorMath.exp(shift[r] - sh);
            float[] sums = fresh ? lanes : blockLanes;
            if (finite) {
                VectorMath.expShiftLanes(s, off, width, sh, sums, r * L);
            } else {
                VectorMath.expShiftLanesMarkingMasked(s, off, width, sh, sums, r * L);
            }
            if (!fresh) VectorMath.kahanScaleAdd(lanes, lanesComp, r * L, L, alpha[r], blockLanes, r * L);
            m[r] = mNew;
            shift[r] = mNew == Float.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : sh;
        }
        float[] target = fresh ? o : blk;
        if (!fresh) Arrays.fill(blk, 0, rows * stride, 0f);
        if (finite) {
            accumulateValues(s, ld, rows, width, values, j0, target);
        } else {
            accumulateValuesSkippingMasked(s, ld, rows, width, values, j0, target);
        }
        if (!fresh) {
            for (int r = 0; r < rows; r++) VectorMath.kahanScaleAdd(o, oComp, r * stride, stride, alpha[r], blk, r * stride);
        }
        fresh = false;
    }

    /**
     * blk = P.V over the block. The P.V loop goes key tile by key tile and chunk by chunk: one
     * packed chunk of values (TILE keys x 4 vectors, 16 KiB) stays in L1 while every row group
     * uses it, instead of each row group streaming the whole block's values from L2 (which capped
     * this step at L2 bandwidth). The accumulators are reloaded per tile: 16 loads and stores per
     * 1024 FMAs.
     */
    void accumulateValues(float[] p, int ld, int rows, int width, PackedValues values, int j0, float[] o) {
        float[] v = values.data();
        int full = values.fullChunks(), rem = values.remainder();
        for (int t = 0; t < width; t += TILE) {
            int tile = (j0 + t) / TILE;
            for (int ch = 0; ch < full; ch++) {
                int vOff = values.chunkOffset(tile, ch), c = ch * PackedValues.CHUNK;
                int r = 0;
                for (; r + 4 <= rows; r += 4) pv4x4(p, r * ld + t, ld, v, vOff, o, r * stride + c, stride);
                for (; r < rows; r++) pv1x4(p, r * ld + t, v, vOff, o, r * stride + c);
            }
            if (rem > 0) {
                int vOff = values.chunkOffset(tile, full), c0 = full * PackedValues.CHUNK;
                for (int k = 0; k < rem; k += L) {
                    int r = 0;
                    for (; r + 4 <= rows; r += 4) pv4x1(p, r * ld + t, ld, v, vOff + k, rem, o, r * stride + c0 + k, stride);
                    for (; r < rows; r++) pv1x1(p, r * ld + t, v, vOff + k, rem, o, r * stride + c0 + k);
                }
            }
        }
    }

    /**
     * Four query rows x four vectors of output columns: 16 independent accumulators (enough to
     * cover 4-cycle FMA latency on two FMA units with room to spare), fed per key by 4 value loads
     * and 4 weight broadcasts for 16 FMAs, so loads never limit the FMA rate. 16 accumulators + 4
     * values + 1 broadcast fit the 32 AVX-512 registers without spilling.
     */
    private static void pv4x4(float[] p, int pOff, int ld, float[] v, int vOff, float[] o, int oOff, int oStride) {
        int o0 = oOff, o1 = oOff + oStride, o2 = oOff + 2 * oStride, o3 = oOff + 3 * oStride;
        // The tile's sums start from zero and are added to the block sums once at the end, so no
        // chain of additions is longer than one tile of keys (see accumulate: bounded error).
        FloatVector c00 = FloatVector.zero(SP), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int p0 = pOff, p1 = pOff + ld, p2 = pOff + 2 * ld, p3 = pOff + 3 * ld;
        for (int j = 0; j < TILE; j++) {
            int vo = vOff + j * CHUNK;
            FloatVector v0 = FloatVector.fromArray(SP, v, vo);
            FloatVector v1 = FloatVector.fromArray(SP, v, vo + L);
            FloatVector v2 = FloatVector.fromArray(SP, v, vo + 2 * L);
            FloatVector v3 = FloatVector.fromArray(SP, v, vo + 3 * L);
            FloatVector w = FloatVector.broadcast(SP, p[p0 + j]);
            c00 = VectorMath.fma(v0, w, c00);
            c01 = VectorMath.fma(v1, w, c01);
            c02 = VectorMath.fma(v2, w, c02);
            c03 = VectorMath.fma(v3, w, c03);
            w = FloatVector.broadcast(SP, p[p1 + j]);
            c10 = VectorMath.fma(v0, w, c10);
            c11 = VectorMath.fma(v1, w, c11);
            c12 = VectorMath.fma(v2, w, c12);
            c13 = VectorMath.fma(v3, w, c13);
            w = FloatVector.broadcast(SP, p[p2 + j]);
            c20 = VectorMath.fma(v0, w, c20);
            c21 = VectorMath.fma(v1, w, c21);
            c22 = VectorMath.fma(v2, w, c22);
            c23 = VectorMath.fma(v3, w, c23);
            w = FloatVector.broadcast(SP, p[p3 + j]);
            c30 = VectorMath.fma(v0, w, c30);
            c31 = VectorMath.fma(v1, w, c31);
            c32 = VectorMath.fma(v2, w, c32);
            c33 = VectorMath.fma(v3, w, c33);
        }
        c00.add(FloatVector.fromArray(SP, o, o0)).intoArray(o, o0);
        c01.add(FloatVector.fromArray(SP, o, o0 + L)).intoArray(o, o0 + L);
        c02.add(FloatVector.fromArray(SP, o, o0 + 2 * L)).intoArray(o, o0 + 2 * L);
        c03.add(FloatVector.fromArray(SP, o, o0 + 3 * L)).intoArray(o, o0 + 3 * L);
        c10.add(FloatVector.fromArray(SP, o, o1)).intoArray(o, o1);
        c11.add(FloatVector.fromArray(SP, o, o1 + L)).intoArray(o, o1 + L);
        c12.add(FloatVector.fromArray(SP, o, o1 + 2 * L)).intoArray(o, o1 + 2 * L);
        c13.add(FloatVector.fromArray(SP, o, o1 + 3 * L)).intoArray(o, o1 + 3 * L);
        c20.add(FloatVector.fromArray(SP, o, o2)).intoArray(o, o2);
        c21.add(FloatVector.fromArray(SP, o, o2 + L)).intoArray(o, o2 + L);
        c22.add(FloatVector.fromArray(SP, o, o2 + 2 * L)).intoArray(o, o2 + 2 * L);
        c23.add(FloatVector.fromArray(SP, o, o2 + 3 * L)).intoArray(o, o2 + 3 * L);
        c30.add(FloatVector.fromArray(SP, o, o3)).intoArray(o, o3);
        c31.add(FloatVector.fromArray(SP, o, o3 + L)).intoArray(o, o3 + L);
        c32.add(FloatVector.fromArray(SP, o, o3 + 2 * L)).intoArray(o, o3 + 2 * L);
        c33.add(FloatVector.fromArray(SP, o, o3 + 3 * L)).intoArray(o, o3 + 3 * L);
    }

    /**
     * Four rows x one vector (a value head size that is not a multiple of 4 vectors). The key loop
     * is unrolled by two into 8 accumulators so the FMA latency stays hidden.
     */
    private static void pv4x1(float[] p, int pOff, int ld, float[] v, int vOff, int vStride,
                              float[] o, int oOff, int oStride) {
        final int width = TILE;
        int o0 = oOff, o1 = oOff + oStride, o2 = oOff + 2 * oStride, o3 = oOff + 3 * oStride;
        FloatVector c0 = FloatVector.zero(SP), d0 = c0;
        FloatVector c1 = c0, d1 = c0;
        FloatVector c2 = c0, d2 = c0;
        FloatVector c3 = c0, d3 = c0;
        int p0 = pOff, p1 = pOff + ld, p2 = pOff + 2 * ld, p3 = pOff + 3 * ld;
        int j = 0;
        for (; j + 2 <= width; j += 2) {
            FloatVector va = FloatVector.fromArray(SP, v, vOff + j * vStride);
            FloatVector vb = FloatVector.fromArray(SP, v, vOff + (j + 1) * vStride);
            c0 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p0 + j]), c0);
            d0 = VectorMath.fma(vb, FloatVector.broadcast(SP, p[p0 + j + 1]), d0);
            c1 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p1 + j]), c1);
            d1 = VectorMath.fma(vb, FloatVector.broadcast(SP, p[p1 + j + 1]), d1);
            c2 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p2 + j]), c2);
            d2 = VectorMath.fma(vb, FloatVector.broadcast(SP, p[p2 + j + 1]), d2);
            c3 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p3 + j]), c3);
            d3 = VectorMath.fma(vb, FloatVector.broadcast(SP, p[p3 + j + 1]), d3);
        }
        for (; j < width; j++) {
            FloatVector va = FloatVector.fromArray(SP, v, vOff + j * vStride);
            c0 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p0 + j]), c0);
            c1 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p1 + j]), c1);
            c2 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p2 + j]), c2);
            c3 = VectorMath.fma(va, FloatVector.broadcast(SP, p[p3 + j]), c3);
        }
        c0.add(d0).add(FloatVector.fromArray(SP, o, o0)).intoArray(o, o0);
        c1.add(d1).add(FloatVector.fromArray(SP, o, o1)).intoArray(o, o1);
        c2.add(d2).add(FloatVector.fromArray(SP, o, o2)).intoArray(o, o2);
        c3.add(d3).add(FloatVector.fromArray(SP, o, o3)).intoArray(o, o3);
    }

    /** One row x four vectors (the rows left over when a block is not a multiple of 4). */
    private static void pv1x4(float[] p, int pOff, float[] v, int vOff, float[] o, int oOff) {
        final int width = TILE, vStride = CHUNK;
        FloatVector c0 = FloatVector.zero(SP), c1 = c0, c2 = c0, c3 = c0;
        FloatVector d0 = c0, d1 = c0, d2 = c0, d3 = c0;
        int j = 0;
        // Unrolled by two keys: 8 accumulators instead of 4 keep both FMA units busy.
        for (; j + 2 <= width; j += 2) {
            int va = vOff + j * vStride, vb = va + vStride;
            FloatVector w = FloatVector.broadcast(SP, p[pOff + j]);
            FloatVector u = FloatVector.broadcast(SP, p[pOff + j + 1]);
            c0 = VectorMath.fma(FloatVector.fromArray(SP, v, va), w, c0);
            c1 = VectorMath.fma(FloatVector.fromArray(SP, v, va + L), w, c1);
            c2 = VectorMath.fma(FloatVector.fromArray(SP, v, va + 2 * L), w, c2);
            c3 = VectorMath.fma(FloatVector.fromArray(SP, v, va + 3 * L), w, c3);
            d0 = VectorMath.fma(FloatVector.fromArray(SP, v, vb), u, d0);
            d1 = VectorMath.fma(FloatVector.fromArray(SP, v, vb + L), u, d1);
            d2 = VectorMath.fma(FloatVector.fromArray(SP, v, vb + 2 * L), u, d2);
            d3 = VectorMath.fma(FloatVector.fromArray(SP, v, vb + 3 * L), u, d3);
        }
        for (; j < width; j++) {
            int va = vOff + j * vStride;
            FloatVector w = FloatVector.broadcast(SP, p[pOff + j]);
            c0 = VectorMath.fma(FloatVector.fromArray(SP, v, va), w, c0);
            c1 = VectorMath.fma(FloatVector.fromArray(SP, v, va + L), w, c1);
            c2 = VectorMath.fma(FloatVector.fromArray(SP, v, va + 2 * L), w, c2);
            c3 = VectorMath.fma(FloatVector.fromArray(SP, v, va + 3 * L), w, c3);
        }
        c0.add(d0).add(FloatVector.fromArray(SP, o, oOff)).intoArray(o, oOff);
        c1.add(d1).add(FloatVector.fromArray(SP, o, oOff + L)).intoArray(o, oOff + L);
        c2.add(d2).add(FloatVector.fromArray(SP, o, oOff + 2 * L)).intoArray(o, oOff + 2 * L);
        c3.add(d3).add(FloatVector.fromArray(SP, o, oOff + 3 * L)).intoArray(o, oOff + 3 * L);
    }

    private static void pv1x1(float[] p, int pOff, float[] v, int vOff, int vStride, float[] o, int oOff) {
        final int width = TILE;
        FloatVector c = FloatVector.zero(SP), d = c;
        int j = 0;
        for (; j + 2 <= width; j += 2) {
            c = VectorMath.fma(FloatVector.fromArray(SP, v, vOff + j * vStride), FloatVector.broadcast(SP, p[pOff + j]), c);
            d = VectorMath.fma(FloatVector.fromArray(SP, v, vOff + (j + 1) * vStride), FloatVector.broadcast(SP, p[pOff + j + 1]), d);
        }
        for (; j < width; j++) c = VectorMath.fma(FloatVector.fromArray(SP, v, vOff + j * vStride), FloatVector.broadcast(SP, p[pOff + j]), c);
        c.add(d).add(FloatVector.fromArray(SP, o, oOff)).intoArray(o, oOff);
    }

    /**
     * The P.V step for a block holding a non-finite value: keys whose weight the marked exp pass
     * tagged as masked (-0.0) are skipped, as the reference skips them, so their NaN or inf cannot
     * reach rows that do not attend them; a weight that merely underflowed to +0 still multiplies
     * its value (0 * NaN is NaN, the IEEE rule). Rare, so plain axpy per key.
     */
    private void accumulateValuesSkippingMasked(float[] p, int ld, int rows, int width, PackedValues values, int j0,
                                                float[] blk) {
        float[] v = values.data();
        int full = values.fullChunks(), rem = values.remainder();
        for (int r = 0; r < rows; r++) {
            int oOff = r * stride;
            for (int j = 0; j < width; j++) {
                float w = p[r * ld + j];
                if (Float.floatToRawIntBits(w) == MASKED_BITS) continue;
                int tile = (j0 + j) / TILE, jj = (j0 + j) % TILE;
                for (int ch = 0; ch < full; ch++) {
                    VectorMath.axpy(w, v, values.chunkOffset(tile, ch) + jj * CHUNK, blk, oOff + ch * CHUNK, CHUNK);
                }
                if (rem > 0) VectorMath.axpy(w, v, values.chunkOffset(tile, full) + jj * rem, blk, oOff + full * CHUNK, rem);
            }
        }
    }

    /**
     * Writes out = O / l for rows [0, rows) to rows i0.. of (b, h) in {@code out}; a row with no
     * unmasked key (l = 0) is written as zeros.
     */
    public void finish(int rows, Tensor out, int b, int h, int i0) {
        for (int r = 0; r < rows; r++) {
            int off = r * stride;
            // Kahan: the compensation holds what the running sums lost, with the opposite sign.
            float l = VectorMath.sumLanes(FloatVector.fromArray(SP, lanes, r * L).sub(FloatVector.fromArray(SP, lanesComp, r * L)));
            if (l == 0f) {
                Arrays.fill(o, off, off + stride, 0f);
            } else {
                VectorMath.subtractScale(o, oComp, off, stride, 1f / l);
            }
            out.writeRow(b, h, i0 + r, o, off);
        }
    }

    public int vDim() { return vDim; }

    /** Floats per accumulator row (v_dim rounded up to whole vectors). */
    public int stride() { return stride; }
}
