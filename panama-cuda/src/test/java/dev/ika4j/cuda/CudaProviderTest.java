/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.BackendUnavailableException;
import dev.ika4j.api.Backends;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Registration and selection of the cuda backend, on machines with and without a GPU. */
class CudaProviderTest {

    @Test
    void isRegisteredWithItsNameAndPriority() {
        Backends.Status s = Backends.list().stream().filter(x -> x.name().equals("cuda")).findFirst()
                .orElseThrow(() -> new AssertionError("cuda provider not found by ServiceLoader: " + Backends.list()));
        assertEquals(200, s.priority());
        assertEquals(CudaProvider.class.getName(), s.providerClass());
        assertFalse(s.reason().isBlank(), "a status always says why");
        assertSame(new CudaProvider().availability(), new CudaProvider().availability(), "the answer is cached");
    }

    @Test
    void withoutAGpuItSaysWhyAndExplicitSelectionFailsWithThatReason() {
        Availability a = new CudaProvider().availability();
        Assumptions.assumeFalse(a.available(), () -> "a usable GPU is present: " + a.reason());
        assertTrue(a.reason().matches("(?s).*(not found|cuInit|cuDeviceGet|CUDA_ERROR|probe failed).*"),
                "the reason names the missing library or the failing driver call: " + a.reason());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open("cuda", BackendConfig.defaults()));
        assertEquals("cuda", e.backend());
        assertEquals(a.reason(), e.reason());
        assertFalse(a.reason().contains("\n"), "the reason is one line: " + a.reason());
        assertTrue(a.reason().contains("docs/gpu.md"), "the reason points to the GPU guide: " + a.reason());
        assertTrue(e.getMessage().contains(a.detail()), "the exception carries the full trace: " + e.getMessage());
        // Here only cuda and the reference are on the class path: auto never falls back to the
        // reference, so it fails, naming cuda's reason.
        BackendUnavailableException auto = assertThrows(BackendUnavailableException.class,
                () -> Backends.open("auto", BackendConfig.defaults()));
        assertTrue(auto.reason().contains("cuda: " + a.reason()), auto.reason());
    }

    @Test
    void withAGpuExplicitAndAutoSelectionOpenIt() {
        Gpu.assume();
        try (AttentionBackend be = Backends.open("cuda", BackendConfig.defaults())) {
            assertEquals("cuda", be.name());
        }
        try (AttentionBackend be = Backends.open("auto", BackendConfig.defaults())) {
            assertEquals("cuda", be.name(), "the highest priority available backend wins");
        }
    }
}
