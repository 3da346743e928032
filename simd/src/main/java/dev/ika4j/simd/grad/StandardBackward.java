/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import jdk.incubator.vector.FloatVector;

/**
 * Standard attention's backward: {@link DotBackward} with c the scale, and with a softcap the
 * logit cap tanh(c q.k / cap), whose derivative 1 - tanh^2 multiplies dS.
 */
final class StandardBackward {
    private StandardBackward() {}

    /** Returns {dq, dk, dv} flat BHSD; dk and dv over the present keys (past then new). */
    static float[][] run(AttentionProblem p, Tensor dOut, WorkPool pool) {
        float scale = p.scale(), cap = p.softcap();
        return DotBackward.run(p, dOut, cap > 0 ? new Capped(scale, cap) : () -> scale, pool);
    }

    /** The softcap's terms: tanh kept per logit (in aux4) for its derivative. */
    private record Capped(float scale, float cap) implements DotBackward.Logits {
        @Override
        public void logits(DotBackward.Scratch s, int o, int np) {
            // VectorMath.tanh, as the forward's softcap: the same P, and the same bits on every JIT tier
            float inv = 1f / cap;
            for (int j = 0; j < np; j += Rows.LANES) {
                FloatVector t = VectorMath.tanh(FloatVector.fromArray(Rows.S, s.l4, o + j).mul(inv));
                t.intoArray(s.aux4, o + j);
                t.mul(cap).intoArray(s.l4, o + j);
            }
        }

        @Override
        public void dLogits(DotBackward.Scratch s, int o, int n, int np) {
            for (int j = 0; j < np; j += Rows.LANES) {
                FloatVector t = FloatVector.fromArray(Rows.S, s.aux4, o + j);
                FloatVector.fromArray(Rows.S, s.dS4, o + j).mul(t.mul(t).neg().add(1f)).intoArray(s.dS4, o + j);
            }
        }
    }
}
