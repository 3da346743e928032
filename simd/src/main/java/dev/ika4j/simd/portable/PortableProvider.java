/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.BackendProvider;
import dev.ika4j.simd.SimdProvider;

/**
 * Registers the plain-Java float32 backend: always available, below simd and above the reference
 * (which {@code auto} never takes), so that a JVM without the Vector API still gets float32
 * speed. When {@code auto} picks it because simd cannot run, the registry logs one WARNING with
 * simd's reason, which names the missing flag: such a JVM is several times slower than it need be.
 * Asked for by name, it logs nothing.
 */
public final class PortableProvider implements BackendProvider {
    @Override
    public String name() {
        return PortableBackend.NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability availability() {
        return Availability.yes("plain Java, float32, C2 auto-vectorised (the fallback where simd cannot run)");
    }

    @Override
    public String autoWarning() {
        // Where simd runs, auto takes it and never gets here; asked anyway, portable is no slow path.
        return new SimdProvider().availability().available() ? null
                : "plain Java float32, several times slower than simd, which cannot run";
    }

    @Override
    public AttentionBackend create(BackendConfig config) {
        return new PortableBackend(config);
    }
}
