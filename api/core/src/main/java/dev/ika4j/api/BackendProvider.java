/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;


/**
 * The service a backend registers ({@code provides dev.ika4j.api.BackendProvider with ...} in
 * its module-info, and META-INF/services for the class path).
 *
 * <p>A provider must be cheap to construct: no native code is loaded and no device touched until
 * {@link #availability()} is asked, and nothing heavy is made until {@link #create} is called,
 * which the registry does only for an available provider.
 */
public interface BackendProvider {
    /** Registry name, lower case ("reference", "simd", "cuda"). */
    String name();

    /** Higher wins in {@code auto} selection. Reference 0, portable 50, SIMD 100, CUDA 200. */
    int priority();

    /** Whether this backend can run here; if not, the reason. Implementations cache the answer. */
    Availability availability();

    /**
     * Whether {@code auto} may choose this backend. The float64 reference says no: it is the
     * oracle, far slower than any float32 backend, and is used only when asked for by name.
     */
    default boolean selectableByAuto() { return true; }

    /**
     * Why a user should hear about it when {@code auto} picks this backend, or null (the default)
     * when the choice is unremarkable. A fallback that is much slower than what a flag would give
     * says so here, and {@code auto} logs it as a WARNING, with the reasons of the backends it
     * passed over, instead of its usual INFO line.
     */
    default String autoWarning() { return null; }

    /** Creates a backend; called only when {@link #availability()} says it is available. */
    AttentionBackend create(BackendConfig config);
}
