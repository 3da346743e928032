/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.BackendProvider;

/** Registers the float64 reference backend: always available, lowest priority, never chosen by auto. */
public final class ReferenceProvider implements BackendProvider {
    @Override public String name() { return ReferenceBackend.NAME; }
    @Override public int priority() { return 0; }
    @Override public Availability availability() { return Availability.yes("pure Java, float64, the oracle: only by name, never chosen by auto"); }
    @Override public boolean selectableByAuto() { return false; }
    @Override public AttentionBackend create(BackendConfig config) { return new ReferenceBackend(); }
}
