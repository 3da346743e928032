/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionTraining;

/** One step of a backend's training path, for tests that compare gradients: record, then backward. */
public final class Train {
    private Train() {}

    public static AttentionGradients gradients(AttentionBackend backend, Tensor q, Tensor k, Tensor v, AttentionOptions o,
                                               Tensor dOut, double dRegularizer) {
        AttentionTraining t = backend.training();
        return t.backward(t.record(q, k, v, o), dOut, dRegularizer);
    }

    public static AttentionGradients gradients(AttentionBackend backend, Tensor q, Tensor k, Tensor v, AttentionOptions o,
                                               Tensor dOut) {
        return gradients(backend, q, k, v, o, dOut, 0.0);
    }
}
