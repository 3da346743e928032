/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * One ONNX Attention evaluation turned into ika4j arguments: Q, K, V as tensors (3-D inputs as
 * packed views split by q_num_heads / kv_num_heads) and the options (scale, causal, mask, softcap,
 * past K/V, valid key lengths, the stage of the scores output when the node asks for it).
 */
record AttentionCall(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
    /** Input positions of the ONNX Attention operator. */
    static final int Q = 0, K = 1, V = 2, ATTN_MASK = 3, PAST_KEY = 4, PAST_VALUE = 5, NONPAD_KV_SEQLEN = 6;

    /**
     * @param scoresAsked whether the node names the output qk_matmul_output: only then are the
     *                    scores computed (at the stage the attribute names)
     */
    static AttentionCall build(AttentionAttributes a, Map<Integer, OnnxTensor> in, boolean scoresAsked) {
        Tensor q = qkv("Q", in.get(Q), a.qNumHeads(), "q_num_heads");
        Tensor k = qkv("K", in.get(K), a.kvNumHeads(), "kv_num_heads");
        Tensor v = qkv("V", in.get(V), a.kvNumHeads(), "kv_num_heads");
        AttentionOptions.Builder o = AttentionOptions.builder().causal(a.causal());
        if (a.scale() != null) o.scale(a.scale());
        if (a.softcap() != 0) o.softcap(a.softcap());
        OnnxTensor mask = in.get(ATTN_MASK);
        if (mask != null) o.mask(mask(mask));
        OnnxTensor pk = in.get(PAST_KEY), pv = in.get(PAST_VALUE);
        if ((pk == null) != (pv == null)) {
            throw new IllegalArgumentException("past_key and past_value must be given together; got past_key="
                    + (pk == null ? "absent" : pk.describe()) + ", past_value=" + (pv == null ? "absent" : pv.describe()));
        }
        if (pk != null) o.past(rank4("past_key", pk), rank4("past_value", pv));
        OnnxTensor lens = in.get(NONPAD_KV_SEQLEN);
        if (lens != null) o.kvLengths(lengths(lens));
        if (scoresAsked) o.scoresOutput(a.scoreStage());
        return new AttentionCall(q, k, v, o.build());
    }

    /** Q, K or V: 4-D [batch, heads, seq, dim] or 3-D [batch, seq, heads*dim] split by the attribute. */
    private static Tensor qkv(String role, OnnxTensor t, int heads, String headsAttr) {
        if (t == null) throw new IllegalArgumentException("input " + role + " is required but absent");
        float[] data = floats(role, t);
        if (t.rank() == 4) {
            if (heads != 0 && heads != t.dim(1)) {
                throw new IllegalArgumentException(role + " " + t.describe() + " has " + t.dim(1) + " heads but "
                        + headsAttr + " = " + heads);
            }
            return half(t) ? Tensor.bhsd(bits(data), DType.FLOAT16, t.dim(0), t.dim(1), t.dim(2), t.dim(3))
                    : Tensor.bhsd(data, t.dim(0), t.dim(1), t.dim(2), t.dim(3));
        }
        if (t.rank() == 3) {
            if (heads == 0) {
                throw new IllegalArgumentException(role + " " + t.describe() + " is 3-D, which needs the attribute " + headsAttr);
            }
            int hidden = t.dim(2);
            if (hidden % heads != 0) {
                throw new IllegalArgumentException(role + " " + t.describe() + ": hidden size " + hidden + " is not a multiple of "
                        + headsAttr + " = " + heads);
            }
            return half(t) ? Tensor.bshd(bits(data), DType.FLOAT16, t.dim(0), t.dim(1), heads, hidden / heads)
                    : Tensor.bshd(data, t.dim(0), t.dim(1), heads, hidden / heads);
        }
        throw new IllegalArgumentException(role + " must be 3-D or 4-D, got " + t.describe());
    }

    private static Tensor rank4(String role, OnnxTensor t) {
        if (t.rank() != 4) throw new IllegalArgumentException(role + " must be 4-D, got " + t.describe());
        float[] data = floats(role, t);
        return half(t) ? Tensor.bhsd(bits(data), DType.FLOAT16, t.dim(0), t.dim(1), t.dim(2), t.dim(3))
                : Tensor.bhsd(data, t.dim(0), t.dim(1), t.dim(2), t.dim(3));
    }

    /**
     * A FLOAT16 input is passed on as a float16 tensor, so the case runs in half precision as the
     * operator does: its output comes back in float16 (Q's dtype), rounded once. (A FLOAT16 mask
     * is widened to float32, exactly: ika4j's masks are boolean or float32.)
     */
    private static boolean half(OnnxTensor t) {
        return t.dataType() == OnnxTensor.DataType.FLOAT16;
    }

    /** The float16 words of values that came from float16 (so narrowing them is exact). */
    private static short[] bits(float[] data) {
        short[] out = new short[data.length];
        for (int i = 0; i < data.length; i++) out[i] = Float.floatToFloat16(data[i]);
        return out;
    }

    private static float[] floats(String role, OnnxTensor t) {
        if (!t.dataType().isFloating()) throw new IllegalArgumentException(role + " must be FLOAT or FLOAT16, got " + t.describe());
        return t.floats();
    }

    private static AttentionMask mask(OnnxTensor t) {
        if (t.rank() < 1 || t.rank() > 4) throw new IllegalArgumentException("attn_mask must have rank 1 to 4, got " + t.describe());
        return switch (t.dataType()) {
            case BOOL -> AttentionMask.bool(t.bools(), t.intDims());
            case FLOAT, FLOAT16 -> AttentionMask.additive(t.floats(), t.intDims());
            default -> throw new IllegalArgumentException("attn_mask must be BOOL, FLOAT or FLOAT16, got " + t.describe());
        };
    }

    private static int[] lengths(OnnxTensor t) {
        if (t.dataType() != OnnxTensor.DataType.INT64 || t.rank() != 1) {
            throw new IllegalArgumentException("nonpad_kv_seqlen must be 1-D INT64, got " + t.describe());
        }
        long[] raw = t.longs();
        int[] out = new int[raw.length];
        for (int b = 0; b < raw.length; b++) {
            if (raw[b] < 0 || raw[b] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("nonpad_kv_seqlen " + Arrays.toString(raw) + " has an entry outside [0, 2^31)");
            }
            out[b] = (int) raw[b];
        }
        return out;
    }

    /**
     * The expected value of output Y as a tensor of the same logical shape as the result: 3-D
     * [batch, seq, heads*v_dim] when Q was 3-D, else 4-D.
     */
    Tensor expectedOutput(OnnxTensor y) {
        float[] data = floats("Y", y);
        if (y.rank() == 3 && q.layout() == Tensor.Layout.BSHD) {
            int heads = q.heads();
            if (y.dim(2) % heads != 0) {
                throw new IllegalArgumentException("Y " + y.describe() + " does not split into " + heads + " heads");
            }
            return Tensor.bshd(data, y.dim(0), y.dim(1), heads, y.dim(2) / heads);
        }
        return rank4("Y", y);
    }

    /** present_key / present_value and qk_matmul_output are 4-D in every case. */
    static Tensor expectedPresent(String role, OnnxTensor t) {
        return rank4(role, t);
    }
}
