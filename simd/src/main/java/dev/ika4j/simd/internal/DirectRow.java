package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Standard attention for one query row straight from K and V, without packing: the path for
 * decoding steps, where a kv head serves so few query rows that packing it would cost more than
 * using it. The row's logits over all visible keys are formed at once (one row, kv_seq floats),
 * so the softmax needs no running rescale; weights of exactly 0 (masked keys) are skipped, so
 * NaN or inf in a masked key's value cannot leak, as in the reference.
 */
final class DirectRow {
    private static final int TILE = PackedKeys.TILE;

    private DirectRow() {}

    /**
     * Row i of (b, h) into {@code out} (and {@code energy}); q, s, acc and tmp are scratch of at
     * least dim, roundUp(kv_seq, TILE), v_dim and max(dim, v_dim) floats.
     */
    static void compute(AttentionProblem p, Tensor out, Tensor energy, float[] q, float[] s, float[] acc, float[] tmp,
                        int b, int h, int kh, int i) {
        int dim = p.dim(), vDim = p.vDim();
        int keyEnd = p.keyLimit(b, i);
        p.q().readRow(b, h, i, q, 0);
        VectorMath.scale(q, 0, dim, p.scale());

        Tensor k = p.presentKey(), v = p.presentValue();
        float[] kArr = k.isHeap() ? k.array() : null;
        for (int j = 0; j < keyEnd; j++) {
            if (kArr != null) {
                s[j] = VectorMath.dot(q, 0, kArr, (int) k.offset(b, kh, j), dim);
            } else {
                k.readRow(b, kh, j, tmp, 0);
                s[j] = VectorMath.dot(q, 0, tmp, 0, dim);
            }
        }
        int width = BlockDriver.roundUp(Math.max(keyEnd, 1), TILE);
        if (p.softcap() > 0) StandardLogits.softcap(s, 0, keyEnd, p.softcap());
        LogitMask.apply(p, b, h, i, s, 0, 0, width);
        if (energy != null) {
            LogitMask.writeEnergy(energy, b, h, i, 0, s, 0, Math.min(width, p.kvSeq()));
            LogitMask.fillEnergyMasked(energy, b, h, i, Math.min(width, p.kvSeq()), p.kvSeq());
        }

        float max = VectorMath.maxIgnoringNaN(s, 0, keyEnd);
        java.util.Arrays.fill(acc, 0, vDim, 0f);
        if (max == Float.NEGATIVE_INFINITY && !hasNaN(s, keyEnd)) {
            out.writeRow(b, h, i, acc, 0); // every key masked: zeros
            return;
        }
        float sum = VectorMath.expShiftSum(s, 0, keyEnd, max);
        float[] vArr = v.isHeap() ? v.array() : null;
        for (int j = 0; j < keyEnd; j++) {
            float w = s[j];
            if (w == 0f) continue;
            if (vArr != null) {
                VectorMath.axpy(w, vArr, (int) v.offset(b, kh, j), acc, 0, vDim);
            } else {
                v.readRow(b, kh, j, tmp, 0);
                VectorMath.axpy(w, tmp, 0, acc, 0, vDim);
            }
        }
        VectorMath.scale(acc, 0, vDim, 1f / sum);
        out.writeRow(b, h, i, acc, 0);
    }

    private static boolean hasNaN(float[] s, int n) {
        for (int j = 0; j < n; j++) if (Float.isNaN(s[j])) return true;
        return false;
    }
}
