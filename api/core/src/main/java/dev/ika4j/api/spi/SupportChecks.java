/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.DType;
import dev.ika4j.api.Support;
import dev.ika4j.api.Tensor;
import java.util.Objects;

/** The support questions every backend asks alike, with the same words in each. */
public final class SupportChecks {
    private SupportChecks() {}

    /**
     * "no" naming the first of Q, K, V, pastKey, pastValue whose dtype is not float32, for a
     * backend that computes in float32 only; the arguments must be non-null.
     */
    public static Support float32Only(String backend, Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(k, "k");
        Objects.requireNonNull(v, "v");
        Objects.requireNonNull(options, "options");
        Support s = float32(backend, "Q", q).and(float32(backend, "K", k)).and(float32(backend, "V", v));
        if (options.pastKey() != null) {
            s = s.and(float32(backend, "pastKey", options.pastKey())).and(float32(backend, "pastValue", options.pastValue()));
        }
        return s;
    }

    private static Support float32(String backend, String arg, Tensor t) {
        if (t.dtype() == DType.FLOAT32) return Support.yes();
        return Support.no("backend '" + backend + "' computes float32 tensors only; " + arg + " " + t.shapeString()
                + " is " + t.dtype() + " (convert it to FLOAT32 first)");
    }
}
