/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.BackendProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider that is never available, registered only on the test class path
 * (src/test/resources/META-INF/services), so that selection tests see what a user without a GPU
 * sees. Its priority beats every real backend: {@code auto} must skip it, not pick it.
 */
public final class UnavailableTestProvider implements BackendProvider {
    public static final String NAME = "unavailable-test";
    public static final String REASON = "test provider: never available (pretend the device is missing)";
    /** How often the registry asked this provider to create a backend: must stay 0. */
    public static final AtomicInteger CREATE_CALLS = new AtomicInteger();

    @Override public String name() { return NAME; }

    @Override public int priority() { return 1_000; }

    @Override public Availability availability() { return Availability.no(REASON); }

    @Override
    public AttentionBackend create(BackendConfig config) {
        CREATE_CALLS.incrementAndGet();
        throw new IllegalStateException("the registry created an unavailable backend");
    }
}
