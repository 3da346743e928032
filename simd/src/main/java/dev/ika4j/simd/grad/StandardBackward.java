/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.WorkPool;

/**
 * Standard attention's backward: {@link DotBackward} with c the scale, and with a softcap the
 * logit cap tanh(c q.k / cap), whose derivative 1 - tanh^2 multiplies dS.
 */
final class StandardBackward {
    private StandardBackward() {}

    /** Returns {dq, dk, dv} flat BHSD; dk and dv over the present keys (past then new). */
    static float[][] run(AttentionProblem p, Tensor dOut, WorkPool pool) {
        return DotBackward.run(p, dOut, DotBackward.standard(p), pool);
    }
}
