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

    /**
     * A neighbourhood computed by {@link NeighbourhoodGather} runs one dense call per bucket, so a
     * training-mode seeded noise source would take one draw per bucket instead of one per call.
     */
    public static Support gatherable(String backend, AttentionOptions options) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(options, "options");
        if (options.neighbourhood() == null) return Support.yes();
        if (options.kernel() instanceof dev.ika4j.api.kernel.CopulaKernel) {
            // Its net encodes the spectral distribution from the whole call's queries and keys, so
            // computing each query's neighbours apart would change the kernel itself.
            return Support.no("backend '" + backend + "': the copula kernel over a neighbourhood is not supported (its"
                    + " spectral points depend on every query and key of the call); use the reference backend");
        }
        dev.ika4j.api.kernel.NoiseSource noise = switch (options.kernel()) {
            case dev.ika4j.api.kernel.IkaGeneratorKernel g -> g.noise();
            case dev.ika4j.api.kernel.CopulaKernel c -> c.noise();
            default -> null;
        };
        if (noise != null && !noise.isFixed() && noise.mode() == dev.ika4j.api.kernel.NoiseSource.Mode.TRAINING) {
            return Support.no("backend '" + backend + "': a neighbourhood with a training-mode seeded noise source ("
                    + options.kernel().name() + ") is not supported (it would draw once per degree bucket); use fixed noise"
                    + " or inference mode");
        }
        return Support.yes();
    }
}
