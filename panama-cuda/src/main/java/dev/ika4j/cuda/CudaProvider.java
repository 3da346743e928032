/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.cuda.error.CudaException;
import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Settings;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.BackendProvider;
import dev.ika4j.cuda.internal.CudaContext;
import dev.ika4j.cuda.internal.CudaUnavailableException;
import dev.ika4j.cuda.internal.NativeLibraries;

/**
 * Registers the GPU backend. Listing it ({@link #name()}, {@link #priority()}) touches no native
 * code; {@link #availability()} loads the CUDA libraries, initialises the driver and opens the
 * device once, and remembers the answer (or the exact reason it cannot run) for the process.
 */
public final class CudaProvider implements BackendProvider {
    private static volatile Availability cached;

    @Override
    public String name() {
        return CudaBackend.NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability availability() {
        Availability a = cached;
        if (a == null) {
            synchronized (CudaProvider.class) {
                a = cached;
                if (a == null) cached = a = probe();
            }
        }
        return a;
    }

    private static Availability probe() {
        int device;
        try {
            device = Settings.DEVICE.get(0);
        } catch (IllegalArgumentException e) {
            return Availability.no(e.getMessage());
        }
        NativeLibraries libs;
        try {
            libs = NativeLibraries.load();
        } catch (CudaUnavailableException e) {
            return Availability.no(e.summary(), e.reason());
        }
        try (CudaContext ctx = CudaContext.open(device)) {
            int cc = ctx.computeCapability();
            String summary = "device " + device + ": " + ctx.deviceName() + " (sm_" + cc + ", "
                    + ctx.multiprocessors() + " SMs), driver " + ctx.driverVersion();
            return Availability.yes(summary, summary + "\n" + libs.describe());
        } catch (CudaException e) {
            return Availability.no(firstLine(e.getMessage()) + "; see docs/gpu.md", e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("CUDA probe failed: " + firstLine(String.valueOf(e)) + "; see docs/gpu.md",
                    String.valueOf(e));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public AttentionBackend create(BackendConfig config) {
        return new CudaBackend(config);
    }
}
