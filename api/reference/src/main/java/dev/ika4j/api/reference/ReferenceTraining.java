/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.Gradients;
import java.util.Objects;

/**
 * The reference backend's training path: its forward, and {@link ReferenceBackward} in float64 on
 * the widened float32 inputs, rounded to float32 at the end. Thread-safe (no mutable state).
 */
final class ReferenceTraining implements AttentionTraining {
    private final ReferenceBackend backend;

    ReferenceTraining(ReferenceBackend backend) {
        this.backend = backend;
    }

    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public Recording record(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        Objects.requireNonNull(options, "options");
        Gradients.checkRecordable(options);
        AttentionResult r = backend.attention(q, k, v, options);
        return new Recorded(this, q, k, v, options, r);
    }

    private record Recorded(ReferenceTraining owner, Tensor q, Tensor k, Tensor v, AttentionOptions options,
                            AttentionResult result) implements Recording {}

    @Override
    public AttentionGradients backward(Recording recording, Tensor dOut, double dRegularizer) {
        Objects.requireNonNull(recording, "recording");
        if (!(recording instanceof Recorded r) || r.owner != this) {
            throw new IllegalArgumentException("recording " + recording.getClass().getSimpleName()
                    + " was not made by this reference training path's record()");
        }
        return backward(r.q, r.k, r.v, r.options, dOut, dRegularizer);
    }

    /** The float64 backward of one call, for the reference's record and for other backends' oracles. */
    static AttentionGradients backward(Tensor q, Tensor k, Tensor v, AttentionOptions options, Tensor dOut, double dRegularizer) {
        AttentionProblem p = AttentionProblem.of(q, k, v, options);
        Gradients.checkBackward(p, dOut, dRegularizer);
        ReferenceBackward.Gradients g = ReferenceBackward.backward(p, ReferenceBackward.Values.of(p),
                ReferenceBackward.widen(dOut), dRegularizer);
        Tensor dq = q.like(q.batch(), q.heads(), q.seq(), q.dim());
        fill(dq, g.dq(), 0, p.qSeq());
        int past = p.pastSeq();
        Tensor dk = k.like(k.batch(), k.heads(), k.seq(), k.dim());
        Tensor dv = v.like(v.batch(), v.heads(), v.seq(), v.dim());
        fill(dk, g.dk(), past, p.kvSeq());
        fill(dv, g.dv(), past, p.kvSeq());
        Tensor dpk = null, dpv = null;
        if (options.pastKey() != null) {
            Tensor pk = options.pastKey(), pv = options.pastValue();
            dpk = pk.like(pk.batch(), pk.heads(), pk.seq(), pk.dim());
            dpv = pv.like(pv.batch(), pv.heads(), pv.seq(), pv.dim());
            fill(dpk, g.dk(), 0, past);
            fill(dpv, g.dv(), 0, past);
        }
        return new AttentionGradients(dq, dk, dv, dpk, dpv, Gradients.typed(p.kernel(), g.parameters()));
    }

    /** Rounds rows [from, to) of each head of a flat BHSD float64 array into {@code dst} (seq = to - from). */
    private static void fill(Tensor dst, double[] src, int from, int to) {
        int srcSeq = src.length / (dst.batch() * dst.heads() * dst.dim());
        for (int b = 0; b < dst.batch(); b++)
            for (int h = 0; h < dst.heads(); h++)
                for (int s = from; s < to; s++)
                    for (int c = 0; c < dst.dim(); c++)
                        dst.set(b, h, s - from, c, (float) src[((b * dst.heads() + h) * srcSeq + s) * dst.dim() + c]);
    }
}
