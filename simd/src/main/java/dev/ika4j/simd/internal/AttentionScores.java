package dev.ika4j.simd.internal;

import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Standard attention's scores at one {@link ScoreStage} (the ONNX output qk_matmul_output), in a
 * pass of their own beside the fused kernel: the fused kernel never forms the [q_seq, kv_seq]
 * matrix, and a caller who asks for it pays for writing it anyway, so a separate pass that forms
 * each row once costs little more and keeps the fused kernel free of the option.
 *
 * <p>One task per (batch, q head), ordered so that the q heads sharing a kv head follow each
 * other and reuse its keys, copied once into a contiguous row-major block. Per query row: scaled
 * Q.K^T over all keys (four keys per step sharing the query loads), then, as the stage asks,
 * soft-capping, the masks ({@link LogitMask}, the reference's -inf rules) and the softmax.
 * Results do not depend on the thread count (each row is one task's, in a fixed order).
 */
public final class AttentionScores {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    private AttentionScores() {}

    /** One worker's buffers and the kv head whose keys {@code keys} holds. */
    private static final class Scratch {
        float[] keys = new float[0];
        float[] q = new float[0];
        float[] s = new float[0];
        int b = -1, kh = -1;
    }

    /** Fills {@code scores} (heap BHSD [batch, q_heads, q_seq, kv_seq]) at {@code p.scoresOutput()}. */
    public static void compute(AttentionProblem p, Tensor scores, WorkPool pool) {
        if (!scores.isHeap() || scores.layout() != Tensor.Layout.BHSD || scores.dim() != p.kvSeq()) {
            throw new IllegalArgumentException("scores must be a heap BHSD tensor of " + p.kvSeq() + " columns, got "
                    + scores.shapeString());
        }
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey());
        pool.run(p.batch() * p.qHeads(), parallel, Scratch::new, (w, task) -> head(p, scores, w, task), w -> {});
    }

    private static void head(AttentionProblem p, Tensor scores, Scratch w, int task) {
        int b = task / p.qHeads(), h = task % p.qHeads(), kh = p.kvHead(h);
        int dim = p.dim(), n = p.kvSeq();
        if (w.b != b || w.kh != kh) {
            if (w.keys.length < n * dim) w.keys = new float[n * dim];
            for (int j = 0; j < n; j++) p.presentKey().readRow(b, kh, j, w.keys, j * dim);
            w.b = b;
            w.kh = kh;
        }
        if (w.q.length < dim) w.q = new float[dim];
        if (w.s.length < n) w.s = new float[n];
        float[] q = w.q, k = w.keys, s = w.s;
        ScoreStage stage = p.scoresOutput();
        for (int i = 0; i < p.qSeq(); i++) {
            p.q().readRow(b, h, i, q, 0);
            VectorMath.scale(q, 0, dim, p.scale());
            int j = 0;
            for (; j + 4 <= n; j += 4) dot4(q, k, j * dim, dim, s, j);
            for (; j < n; j++) s[j] = VectorMath.dot(q, 0, k, j * dim, dim);
            if (stage != ScoreStage.SCALED_QK && p.softcap() > 0) softcap(s, n, p.softcap());
            if (stage == ScoreStage.AFTER_MASK || stage == ScoreStage.AFTER_SOFTMAX) {
                LogitMask.apply(p, b, h, i, s, 0, 0, n);
                if (stage == ScoreStage.AFTER_SOFTMAX) softmax(s, n);
            }
            System.arraycopy(s, 0, scores.array(), (int) scores.offset(b, h, i), n);
        }
    }

    /** s[so + t] = q . k[ko + t*dim ..] for t < 4: the query vector is loaded once for four keys. */
    private static void dot4(float[] q, float[] k, int ko, int dim, float[] s, int so) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
        int k0 = ko, k1 = ko + dim, k2 = ko + 2 * dim, k3 = ko + 3 * dim;
        int c = 0;
        for (; c + L <= dim; c += L) {
            FloatVector qv = FloatVector.fromArray(SP, q, c);
            a0 = FloatVector.fromArray(SP, k, k0 + c).fma(qv, a0);
            a1 = FloatVector.fromArray(SP, k, k1 + c).fma(qv, a1);
            a2 = FloatVector.fromArray(SP, k, k2 + c).fma(qv, a2);
            a3 = FloatVector.fromArray(SP, k, k3 + c).fma(qv, a3);
        }
        float s0 = VectorMath.sumLanes(a0), s1 = VectorMath.sumLanes(a1);
        float s2 = VectorMath.sumLanes(a2), s3 = VectorMath.sumLanes(a3);
        for (; c < dim; c++) {
            s0 = Math.fma(q[c], k[k0 + c], s0);
            s1 = Math.fma(q[c], k[k1 + c], s1);
            s2 = Math.fma(q[c], k[k2 + c], s2);
            s3 = Math.fma(q[c], k[k3 + c], s3);
        }
        s[so] = s0;
        s[so + 1] = s1;
        s[so + 2] = s2;
        s[so + 3] = s3;
    }

    /** s = cap * tanh(s / cap) over s[0 .. n). */
    private static void softcap(float[] s, int n, float cap) {
        float inv = 1f / cap;
        int j = 0;
        for (; j + L <= n; j += L) {
            VectorMath.tanh(FloatVector.fromArray(SP, s, j).mul(inv)).mul(cap).intoArray(s, j);
        }
        for (; j < n; j++) s[j] = cap * VectorMath.tanh(s[j] * inv);
    }

    /**
     * The row softmax in place, with the reference's rules: NaN or +inf anywhere makes the row NaN
     * (exp(inf - inf) would), a row with every key masked becomes zeros, a masked key gets 0.
     */
    private static void softmax(float[] s, int n) {
        float max = VectorMath.maxIgnoringNaN(s, 0, n);
        if (max == Float.POSITIVE_INFINITY || hasNaN(s, n)) {
            Arrays.fill(s, 0, n, Float.NaN);
            return;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            Arrays.fill(s, 0, n, 0f);
            return;
        }
        float sum = VectorMath.expShiftSum(s, 0, n, max);
        VectorMath.scale(s, 0, n, 1f / sum);
    }

    private static boolean hasNaN(float[] s, int n) {
        for (int j = 0; j < n; j++) if (Float.isNaN(s[j])) return true;
        return false;
    }
}
