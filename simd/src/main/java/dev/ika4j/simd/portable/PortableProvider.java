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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Registers the plain-Java float32 backend: always available, below simd and above the reference
 * (which {@code auto} never takes), so that a JVM without the Vector API still gets float32
 * speed. Opening it where simd cannot run logs one WARNING with simd's reason, which names the
 * missing flag: such a JVM is several times slower than it need be.
 */
public final class PortableProvider implements BackendProvider {
    private static final System.Logger LOG = System.getLogger("dev.ika4j");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

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
    public AttentionBackend create(BackendConfig config) {
        Availability simd = new SimdProvider().availability();
        if (!simd.available() && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "ika4j: using the portable CPU backend, several times slower than simd, "
                    + "because simd cannot run: " + simd.reason());
        }
        return new PortableBackend(config);
    }
}
