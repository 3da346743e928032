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
 * A row whose keys are all masked keeps m = -inf and l = 0 and is written as zeros (the
 * documented result); NaN in any logit turns P, l and so the whole row into NaN. The row max
 * ignores NaN on purpose: NaN reaches the row through exp(NaN) instead.
 *
 * <p>One instance per worker thread; not thread-safe.
 */
public final class OnlineSoftmax {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int TILE = PackedKeys.TILE;
    private static final int CHUNK = PackedValues.CHUNK;

    private final int maxRows, vDim, stride;
    private final float[] m, alpha;
    /** Running sums l, one vector of lane-wise partial sums per row, reduced once in finish(). */
    private final float[] lanes;
    private final float[] o;

    /**
     * @param maxRows the most query rows per block
     * @param vDim    the value head size (accumulator rows are padded to whole vectors)
     */
    public OnlineSoftmax(int maxRows, int vDim) {
        this.maxRows = maxRows;
        this.vDim = vDim;
        this.stride = PackedValues.strideFor(vDim);
        this.m = new float[maxRows];
        this.lanes = new float[maxRows * L];
        this.alpha = new float[maxRows];
        this.o = new float[maxRows * stride];
    }

    /** Starts a new query block of {@code rows} rows. */
    public void reset(int rows) {
        if (rows > maxRows) throw new IllegalArgumentException("rows " + rows + " > capacity " + maxRows);
        Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(lanes, 0, rows * L, 0f);
        Arrays.fill(o, 0, rows * stride, 0f);
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
        for (int r = 0; r < rows; r++) {
            int off = r * ld;
            float mOld = m[r];
            float blockMax = VectorMath.maxIgnoringNaN(s, off, width);
            float mNew = blockMax > mOld ? blockMax : mOld;
            // While every key so far is masked, mNew is -inf and -inf - -inf would be NaN; shifting
            // by 0 instead makes every weight exp(-inf) = 0.
            float shift = mNew == Float.NEGATIVE_INFINITY ? 0f : mNew;
            float a = VectorMath.exp(mOld - shift);
            VectorMath.expShiftAccumulate(s, off, width, shift, lanes, r * L, a);
            alpha[r] = a;
            m[r] = mNew;
        }
        if (values.finite(j0, width)) {
            accumulateValues(s, ld, rows, width, values, j0);
        } else {
            accumulateValuesSkippingZeros(s, ld, rows, width, values, j0);
        }
    }

    /**
     * O = O * alpha + P.V over the block. The rescale is a separate pass so that the P.V loop can
     * go key tile by key tile and chunk by chunk: one packed chunk of values (TILE keys x 4
     * vectors, 16 KiB) stays in L1 while every row group uses it, instead of each row group
     * streaming the whole block's values from L2 (which capped this step at L2 bandwidth). The
     * accumulators are reloaded per tile: 16 loads and stores per 1024 FMAs.
     */
    void accumulateValues(float[] p, int ld, int rows, int width, PackedValues values, int j0) {
        for (int r = 0; r < rows; r++) {
            if (alpha[r] != 1f) VectorMath.scale(o, r * stride, stride, alpha[r]);
        }
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
        FloatVector c00 = FloatVector.fromArray(SP, o, o0);
        FloatVector c01 = FloatVector.fromArray(SP, o, o0 + L);
        FloatVector c02 = FloatVector.fromArray(SP, o, o0 + 2 * L);
        FloatVector c03 = FloatVector.fromArray(SP, o, o0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(SP, o, o1);
        FloatVector c11 = FloatVector.fromArray(SP, o, o1 + L);
        FloatVector c12 = FloatVector.fromArray(SP, o, o1 + 2 * L);
        FloatVector c13 = FloatVector.fromArray(SP, o, o1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(SP, o, o2);
        FloatVector c21 = FloatVector.fromArray(SP, o, o2 + L);
        FloatVector c22 = FloatVector.fromArray(SP, o, o2 + 2 * L);
        FloatVector c23 = FloatVector.fromArray(SP, o, o2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(SP, o, o3);
        FloatVector c31 = FloatVector.fromArray(SP, o, o3 + L);
        FloatVector c32 = FloatVector.fromArray(SP, o, o3 + 2 * L);
        FloatVector c33 = FloatVector.fromArray(SP, o, o3 + 3 * L);
        int p0 = pOff, p1 = pOff + ld, p2 = pOff + 2 * ld, p3 = pOff + 3 * ld;
        for (int j = 0; j < TILE; j++) {
            int vo = vOff + j * CHUNK;
            FloatVector v0 = FloatVector.fromArray(SP, v, vo);
            FloatVector v1 = FloatVector.fromArray(SP, v, vo + L);
            FloatVector v2 = FloatVector.fromArray(SP, v, vo + 2 * L);
            FloatVector v3 = FloatVector.fromArray(SP, v, vo + 3 * L);
            FloatVector w = FloatVector.broadcast(SP, p[p0 + j]);
            c00 = v0.fma(w, c00);
            c01 = v1.fma(w, c01);
            c02 = v2.fma(w, c02);
            c03 = v3.fma(w, c03);
            w = FloatVector.broadcast(SP, p[p1 + j]);
            c10 = v0.fma(w, c10);
            c11 = v1.fma(w, c11);
            c12 = v2.fma(w, c12);
            c13 = v3.fma(w, c13);
            w = FloatVector.broadcast(SP, p[p2 + j]);
            c20 = v0.fma(w, c20);
            c21 = v1.fma(w, c21);
            c22 = v2.fma(w, c22);
            c23 = v3.fma(w, c23);
            w = FloatVector.broadcast(SP, p[p3 + j]);
            c30 = v0.fma(w, c30);
            c31 = v1.fma(w, c31);
            c32 = v2.fma(w, c32);
            c33 = v3.fma(w, c33);
        }
        c00.intoArray(o, o0);
        c01.intoArray(o, o0 + L);
        c02.intoArray(o, o0 + 2 * L);
        c03.intoArray(o, o0 + 3 * L);
        c10.intoArray(o, o1);
        c11.intoArray(o, o1 + L);
        c12.intoArray(o, o1 + 2 * L);
        c13.intoArray(o, o1 + 3 * L);
        c20.intoArray(o, o2);
        c21.intoArray(o, o2 + L);
        c22.intoArray(o, o2 + 2 * L);
        c23.intoArray(o, o2 + 3 * L);
        c30.intoArray(o, o3);
        c31.intoArray(o, o3 + L);
        c32.intoArray(o, o3 + 2 * L);
        c33.intoArray(o, o3 + 3 * L);
    }

    /**
     * Four rows x one vector (a value head size that is not a multiple of 4 vectors). The key loop
     * is unrolled by two into 8 accumulators so the FMA latency stays hidden.
     */
    private static void pv4x1(float[] p, int pOff, int ld, float[] v, int vOff, int vStride,
                              float[] o, int oOff, int oStride) {
        final int width = TILE;
        int o0 = oOff, o1 = oOff + oStride, o2 = oOff + 2 * oStride, o3 = oOff + 3 * oStride;
        FloatVector c0 = FloatVector.fromArray(SP, o, o0), d0 = FloatVector.zero(SP);
        FloatVector c1 = FloatVector.fromArray(SP, o, o1), d1 = d0;
        FloatVector c2 = FloatVector.fromArray(SP, o, o2), d2 = d0;
        FloatVector c3 = FloatVector.fromArray(SP, o, o3), d3 = d0;
        int p0 = pOff, p1 = pOff + ld, p2 = pOff + 2 * ld, p3 = pOff + 3 * ld;
        int j = 0;
        for (; j + 2 <= width; j += 2) {
            FloatVector va = FloatVector.fromArray(SP, v, vOff + j * vStride);
            FloatVector vb = FloatVector.fromArray(SP, v, vOff + (j + 1) * vStride);
            c0 = va.fma(FloatVector.broadcast(SP, p[p0 + j]), c0);
            d0 = vb.fma(FloatVector.broadcast(SP, p[p0 + j + 1]), d0);
            c1 = va.fma(FloatVector.broadcast(SP, p[p1 + j]), c1);
            d1 = vb.fma(FloatVector.broadcast(SP, p[p1 + j + 1]), d1);
            c2 = va.fma(FloatVector.broadcast(SP, p[p2 + j]), c2);
            d2 = vb.fma(FloatVector.broadcast(SP, p[p2 + j + 1]), d2);
            c3 = va.fma(FloatVector.broadcast(SP, p[p3 + j]), c3);
            d3 = vb.fma(FloatVector.broadcast(SP, p[p3 + j + 1]), d3);
        }
        for (; j < width; j++) {
            FloatVector va = FloatVector.fromArray(SP, v, vOff + j * vStride);
            c0 = va.fma(FloatVector.broadcast(SP, p[p0 + j]), c0);
            c1 = va.fma(FloatVector.broadcast(SP, p[p1 + j]), c1);
            c2 = va.fma(FloatVector.broadcast(SP, p[p2 + j]), c2);
            c3 = va.fma(FloatVector.broadcast(SP, p[p3 + j]), c3);
        }
        c0.add(d0).intoArray(o, o0);
        c1.add(d1).intoArray(o, o1);
        c2.add(d2).intoArray(o, o2);
        c3.add(d3).intoArray(o, o3);
    }

    /** One row x four vectors (the rows left over when a block is not a multiple of 4). */
    private static void pv1x4(float[] p, int pOff, float[] v, int vOff, float[] o, int oOff) {
        final int width = TILE, vStride = CHUNK;
        FloatVector c0 = FloatVector.fromArray(SP, o, oOff);
        FloatVector c1 = FloatVector.fromArray(SP, o, oOff + L);
        FloatVector c2 = FloatVector.fromArray(SP, o, oOff + 2 * L);
        FloatVector c3 = FloatVector.fromArray(SP, o, oOff + 3 * L);
        FloatVector d0 = FloatVector.zero(SP), d1 = d0, d2 = d0, d3 = d0;
        int j = 0;
        // Unrolled by two keys: 8 accumulators instead of 4 keep both FMA units busy.
        for (; j + 2 <= width; j += 2) {
            int va = vOff + j * vStride, vb = va + vStride;
            FloatVector w = FloatVector.broadcast(SP, p[pOff + j]);
            FloatVector u = FloatVector.broadcast(SP, p[pOff + j + 1]);
            c0 = FloatVector.fromArray(SP, v, va).fma(w, c0);
            c1 = FloatVector.fromArray(SP, v, va + L).fma(w, c1);
            c2 = FloatVector.fromArray(SP, v, va + 2 * L).fma(w, c2);
            c3 = FloatVector.fromArray(SP, v, va + 3 * L).fma(w, c3);
            d0 = FloatVector.fromArray(SP, v, vb).fma(u, d0);
            d1 = FloatVector.fromArray(SP, v, vb + L).fma(u, d1);
            d2 = FloatVector.fromArray(SP, v, vb + 2 * L).fma(u, d2);
            d3 = FloatVector.fromArray(SP, v, vb + 3 * L).fma(u, d3);
        }
        for (; j < width; j++) {
            int va = vOff + j * vStride;
            FloatVector w = FloatVector.broadcast(SP, p[pOff + j]);
            c0 = FloatVector.fromArray(SP, v, va).fma(w, c0);
            c1 = FloatVector.fromArray(SP, v, va + L).fma(w, c1);
            c2 = FloatVector.fromArray(SP, v, va + 2 * L).fma(w, c2);
            c3 = FloatVector.fromArray(SP, v, va + 3 * L).fma(w, c3);
        }
        c0.add(d0).intoArray(o, oOff);
        c1.add(d1).intoArray(o, oOff + L);
        c2.add(d2).intoArray(o, oOff + 2 * L);
        c3.add(d3).intoArray(o, oOff + 3 * L);
    }

    private static void pv1x1(float[] p, int pOff, float[] v, int vOff, int vStride, float[] o, int oOff) {
        final int width = TILE;
        FloatVector c = FloatVector.fromArray(SP, o, oOff), d = FloatVector.zero(SP);
        int j = 0;
        for (; j + 2 <= width; j += 2) {
            c = FloatVector.fromArray(SP, v, vOff + j * vStride).fma(FloatVector.broadcast(SP, p[pOff + j]), c);
            d = FloatVector.fromArray(SP, v, vOff + (j + 1) * vStride).fma(FloatVector.broadcast(SP, p[pOff + j + 1]), d);
        }
        for (; j < width; j++) c = FloatVector.fromArray(SP, v, vOff + j * vStride).fma(FloatVector.broadcast(SP, p[pOff + j]), c);
        c.add(d).intoArray(o, oOff);
    }

    /**
     * The P.V step for a block holding a non-finite value: keys with weight exactly 0 (masked)
     * are skipped, as the reference skips them, so their NaN or inf cannot reach rows that do not
     * attend them. Rare, so plain axpy per key.
     */
    private void accumulateValuesSkippingZeros(float[] p, int ld, int rows, int width, PackedValues values, int j0) {
        float[] v = values.data();
        int full = values.fullChunks(), rem = values.remainder();
        for (int r = 0; r < rows; r++) {
            int oOff = r * stride;
            VectorMath.scale(o, oOff, stride, alpha[r]);
            for (int j = 0; j < width; j++) {
                float w = p[r * ld + j];
                if (w == 0f) continue;
                int tile = (j0 + j) / TILE, jj = (j0 + j) % TILE;
                for (int ch = 0; ch < full; ch++) {
                    VectorMath.axpy(w, v, values.chunkOffset(tile, ch) + jj * CHUNK, o, oOff + ch * CHUNK, CHUNK);
                }
                if (rem > 0) VectorMath.axpy(w, v, values.chunkOffset(tile, full) + jj * rem, o, oOff + full * CHUNK, rem);
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
            float l = VectorMath.sumLanes(FloatVector.fromArray(SP, lanes, r * L));
            if (l == 0f) {
                Arrays.fill(o, off, off + stride, 0f);
            } else {
                VectorMath.scale(o, off, stride, 1f / l);
            }
            out.writeRow(b, h, i0 + r, o, off);
        }
    }

    public int vDim() { return vDim; }

    /** Floats per accumulator row (v_dim rounded up to whole vectors). */
    public int stride() { return stride; }
}
