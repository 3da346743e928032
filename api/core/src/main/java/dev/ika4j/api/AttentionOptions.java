/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import dev.ika4j.api.kernel.AttentionKernel;
import java.util.Objects;

/**
 * The options of one attention call, with the semantics of the ONNX Attention operator. Immutable
 * and thread-safe; build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code scale}: multiplies Q.K^T; null means 1/sqrt(head_dim).
 *   <li>{@code causal}: query i (absolute position past_len + i) sees keys j &lt;= past_len + i.
 *   <li>{@code mask}: boolean or additive, broadcast to [batch, q_heads, q_seq, total_kv_seq].
 *   <li>{@code softcap}: if > 0, scores become softcap * tanh(scores / softcap) before the mask.
 *   <li>{@code pastKey}/{@code pastValue}: a KV cache concatenated in front of K/V; the result
 *       returns the concatenation as present K/V.
 *   <li>{@code kvLengths}: per batch, keys at positions >= the length are ignored (ONNX
 *       nonpad_kv_seqlen).
 *   <li>{@code kernel}: the similarity (standard, or one of the paper's family).
 *   <li>{@code returnEnergy}: also return the logits before the softmax, [batch, q_heads, q_seq,
 *       total_kv_seq], with masked entries at -inf, for any kernel (the paper's included).
 *   <li>{@code neighbourhood}: the keys each query may see, CSR or banded ({@link Neighbourhood}),
 *       combined with causal and the valid lengths; cost proportional to the visible pairs.
 *   <li>{@code scoresOutput}: also return standard attention's scores at one stage of its pipeline
 *       ({@link ScoreStage}: scaled Q.K^T, after softcap, after the masks, after the softmax), the
 *       ONNX operator's {@code qk_matmul_output}; null for none. For the standard kernel,
 *       {@code returnEnergy} holds the values of {@code scoresOutput(AFTER_MASK)}; energy stays
 *       the kernel-neutral final logits, scores are the ONNX operator's stages, and a call may ask
 *       for both.
 *   <li>{@code outputDType}: the {@link DType} of the output Y; null (the default) means Q's dtype.
 * </ul>
 *
 * <p><b>Dtypes.</b> Q, K and V may each be {@link DType#FLOAT32}, {@link DType#FLOAT16} or
 * {@link DType#BFLOAT16}, with these rules (a call that breaks one is an
 * {@link IllegalArgumentException} naming the argument, its dtype and shape):
 * <ul>
 *   <li>K and V have one dtype (the cache's); Q's may differ;
 *   <li>pastKey and pastValue have K's dtype, and the present K/V returned keep it;
 *   <li>masks are boolean or float32 ({@link AttentionMask} holds no other);
 *   <li>the output Y is in Q's dtype unless {@code outputDType} says otherwise; energy and
 *       scores stay float32.
 * </ul>
 * Half inputs are widened to float32 exactly; computation and accumulation are in float32 (the
 * reference backend: float64); a half output is rounded once, to nearest with ties to even, and
 * a value beyond the half range (65504 for float16) becomes an infinity, as IEEE 754 says.
 *
 * A query whose every key is masked gets an output row of zeros on every backend.
 */
public final class AttentionOptions {
    public static final AttentionOptions DEFAULT = builder().build();

    private final Double scale;
    private final boolean causal;
    private final AttentionMask mask;
    private final float softcap;
    private final Tensor pastKey, pastValue;
    private final int[] kvLengths;
    private final AttentionKernel kernel;
    private final boolean returnEnergy;
    private final ScoreStage scoresOutput;
    private final Neighbourhood neighbourhood;
    private final DType outputDType;

    private AttentionOptions(Builder b) {
        this.scale = b.scale;
        this.causal = b.causal;
        this.mask = b.mask;
        this.softcap = b.softcap;
        this.pastKey = b.pastKey;
        this.pastValue = b.pastValue;
        this.kvLengths = b.kvLengths == null ? null : b.kvLengths.clone();
        this.kernel = b.kernel;
        this.returnEnergy = b.returnEnergy;
        this.scoresOutput = b.scoresOutput;
        this.neighbourhood = b.neighbourhood;
        this.outputDType = b.outputDType;
    }

    public static Builder builder() { return new Builder(); }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scale = scale;
        b.causal = causal;
        b.mask = mask;
        b.softcap = softcap;
        b.pastKey = pastKey;
        b.pastValue = pastValue;
        b.kvLengths = kvLengths;
        b.kernel = kernel;
        b.returnEnergy = returnEnergy;
        b.scoresOutput = scoresOutput;
        b.neighbourhood = neighbourhood;
        b.outputDType = outputDType;
        return b;
    }

    /** The explicit scale, or null for the default 1/sqrt(head_dim). */
    public Double scale() { return scale; }
    public boolean causal() { return causal; }
    public AttentionMask mask() { return mask; }
    public float softcap() { return softcap; }
    public Tensor pastKey() { return pastKey; }
    public Tensor pastValue() { return pastValue; }
    public int[] kvLengths() { return kvLengths == null ? null : kvLengths.clone(); }
    public AttentionKernel kernel() { return kernel; }
    public boolean returnEnergy() { return returnEnergy; }
    /** The stage of the scores output asked for, or null when none is (see {@link ScoreStage}). */
    public ScoreStage scoresOutput() { return scoresOutput; }
    /** The keys each query may see ({@link Neighbourhood}), or null for all of them. */
    public Neighbourhood neighbourhood() { return neighbourhood; }

    /** The dtype asked for the output Y, or null for Q's dtype. */
    public DType outputDType() { return outputDType; }

    @Override
    public String toString() {
        return "AttentionOptions{kernel=" + kernel.name() + ", scale=" + (scale == null ? "default" : scale)
                + ", causal=" + causal + ", mask=" + mask + ", softcap=" + softcap
                + ", past=" + (pastKey == null ? "none" : pastKey.shapeString())
                + ", kvLengths=" + (kvLengths == null ? "none" : java.util.Arrays.toString(kvLengths))
                + ", energy=" + returnEnergy + (scoresOutput == null ? "" : ", scores=" + scoresOutput)
                + (neighbourhood == null ? "" : ", neighbourhood=" + neighbourhood)
                + (outputDType == null ? "" : ", outputDType=" + outputDType) + "}";
    }

    public static final class Builder {
        private Double scale;
        private boolean causal;
        private AttentionMask mask;
        private float softcap;
        private Tensor pastKey, pastValue;
        private int[] kvLengths;
        private AttentionKernel kernel = AttentionKernel.standard();
        private boolean returnEnergy;
        private ScoreStage scoresOutput;
        private Neighbourhood neighbourhood;
        private DType outputDType;

        private Builder() {}

        /**
         * Multiplier of Q.K^T; must be finite and >= 0, and representable in float32 (the backends
         * compute in it): at most Float.MAX_VALUE, and 0 or at least Float.MIN_VALUE.
         */
        public Builder scale(double scale) {
            if (Double.isNaN(scale) || Double.isInfinite(scale) || scale < 0) {
                throw new IllegalArgumentException("scale must be finite and >= 0, got " + scale);
            }
            Sizes.float32("scale", scale);
            this.scale = scale;
            return this;
        }

        public Builder causal(boolean causal) { this.causal = causal; return this; }

        public Builder mask(AttentionMask mask) { this.mask = mask; return this; }

        /**
         * Soft-capping of scores; 0 turns it off. Must be finite and >= 0, and representable in
         * float32: at most Float.MAX_VALUE, and 0 or at least Float.MIN_VALUE (a smaller positive
         * cap would round to 0 and silently turn capping off).
         */
        public Builder softcap(double softcap) {
            if (Double.isNaN(softcap) || Double.isInfinite(softcap) || softcap < 0) {
                throw new IllegalArgumentException("softcap must be finite and >= 0, got " + softcap);
            }
            this.softcap = Sizes.float32("softcap", softcap);
            return this;
        }

        /** A KV cache; both or neither. Shapes [batch, kv_heads, past_seq, head_dim / v_dim]. */
        public Builder past(Tensor pastKey, Tensor pastValue) {
            if ((pastKey == null) != (pastValue == null)) {
                throw new IllegalArgumentException("pastKey and pastValue must both be given or both be null; got pastKey="
                        + (pastKey == null ? "null" : pastKey.shapeString()) + ", pastValue="
                        + (pastValue == null ? "null" : pastValue.shapeString()));
            }
            this.pastKey = pastKey;
            this.pastValue = pastValue;
            return this;
        }

        /** Per batch, the number of valid keys (counting the past); null for all. */
        public Builder kvLengths(int[] kvLengths) {
            this.kvLengths = kvLengths == null ? null : kvLengths.clone();
            return this;
        }

        public Builder kernel(AttentionKernel kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        public Builder returnEnergy(boolean returnEnergy) { this.returnEnergy = returnEnergy; return this; }

        /**
         * Also return the scores at {@code stage} ({@link AttentionResult#scores()}), [batch, q_heads,
         * q_seq, total_kv_seq]; null for none (the default). Standard kernel and host calls only.
         */
        public Builder scoresOutput(ScoreStage stage) { this.scoresOutput = stage; return this; }

        /**
         * Restricts each query to the keys of {@code neighbourhood} (CSR or banded, see
         * {@link Neighbourhood}); null for all keys. Not combinable with a mask or a scores output.
         */
        public Builder neighbourhood(Neighbourhood neighbourhood) { this.neighbourhood = neighbourhood; return this; }
        /** The dtype of the output Y; null (the default) for Q's dtype. */
        public Builder outputDType(DType dtype) { this.outputDType = dtype; return this; }

        public AttentionOptions build() { return new AttentionOptions(this); }
    }
}
