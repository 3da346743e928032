/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.HostBackend;
import java.util.Map;

/**
 * The oracle: every kernel written straight from its formula, accumulated in float64, with the
 * full [q_seq, kv_seq] logits. Slow on purpose; clarity is its only job. Its forward is the one of
 * {@link ReferenceBackward} (one pipeline, one masked softmax), and it derives the paper kernels'
 * spectral points from their parameters itself, apart from the plan the production backends share,
 * so that the backend-versus-reference tests check that plan too. Thread-safe (no mutable state).
 *
 * <p>Numerics: every product and sum in float64, each output rounded to float32 once; any finite
 * float32 input gives finite logits (|q_c k_c| is at most 1.2e77). The NaN rule is the one of
 * {@link dev.ika4j.api.AttentionBackend}: only keys whose logit is -inf are skipped.
 */
public final class ReferenceBackend extends HostBackend {
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    /** Record with this backend's forward, then the float64 backward of {@link ReferenceBackward}. */
    @Override
    public AttentionTraining training() {
        return new ReferenceTraining(this);
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> m = new java.util.LinkedHashMap<>(); // a stable order for printing
        m.put("precision", "float64 accumulation");
        m.put("threads", "1");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The oracle applies a neighbourhood as a mask over its dense rows, from the definition. */
    @Override
    protected boolean neighbourhoodsAsMask() {
        return true;
    }

    @Override
    protected double compute(AttentionProblem p, Tensor out, Tensor energy) {
        ReferenceBackward.Forward f = ReferenceBackward.forward(p, ReferenceBackward.Values.of(p), true, energy);
        double[] o = f.output();
        boolean half = out.dtype().isHalf();
        for (int b = 0; b < p.batch(); b++)
            for (int h = 0; h < p.qHeads(); h++)
                for (int i = 0; i < p.qSeq(); i++)
                    for (int c = 0; c < p.vDim(); c++) {
                        double y = o[((b * p.qHeads() + h) * p.qSeq() + i) * p.vDim() + c];
                        out.set(b, h, i, c, half ? roundToOdd(y) : (float) y);
                    }
        return f.regularizer();
    }

    /**
     * {@code x} rounded to float32 toward zero with the last bit set when inexact ("round to
     * odd"): a float32 carries more than two bits beyond a half type's fraction, so rounding this
     * value to nearest-even once more gives the half value nearest to {@code x} itself: the
     * float64 result is rounded once, as if directly, with no double-rounding error.
     */
    static float roundToOdd(double x) {
        float f = (float) x;
        if ((double) f == x || Float.isNaN(f) || Float.isInfinite(f)) return f;
        int bits = Float.floatToRawIntBits(f);
        if (Math.abs((double) f) > Math.abs(x)) bits--;   // rounded away from zero: step back toward it
        return Float.intBitsToFloat(bits | 1);
    }

    @Override
    protected void computeScores(AttentionProblem p, Tensor scores) {
        ReferenceScores.compute(p, scores);
    }
}
