/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.onnx.ConformanceRunner;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.testkit.TestData;
import dev.ika4j.testkit.UnavailableTestProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Backend selection as users meet it: explicit names, auto, unknown names, a backend that cannot
 * run here (the test-only {@link UnavailableTestProvider}) and -Dika.backend.
 */
class BackendsSelectionTest {
    private final String savedProperty = System.getProperty("ika.backend");

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) System.clearProperty("ika.backend");
        else System.setProperty("ika.backend", savedProperty);
    }

    @Test
    void explicitNameOpensThatBackend() {
        try (AttentionBackend b = Backends.open("reference")) {
            assertEquals("reference", b.name());
            assertTrue(b instanceof ReferenceBackend);
        }
        try (AttentionBackend b = Backends.open("  Reference ")) {
            assertEquals("reference", b.name(), "names are trimmed and case-insensitive");
        }
    }

    @Test
    void listShowsEveryProviderWithItsStatusAndReason() {
        List<Backends.Status> all = Backends.list();
        Backends.Status ref = find(all, "reference");
        assertTrue(ref.available());
        Backends.Status un = find(all, UnavailableTestProvider.NAME);
        assertFalse(un.available());
        assertEquals(UnavailableTestProvider.REASON, un.reason());
        assertTrue(un.toString().contains(UnavailableTestProvider.REASON), "the listing shows the reason: " + un);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).priority() >= all.get(i).priority(), "highest priority first: " + all);
        }
    }

    private static Backends.Status find(List<Backends.Status> all, String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing from " + all));
    }

    @Test
    void autoNeverChoosesTheReferenceAndSaysWhatToAdd() {
        // This module has only the reference and the never-available test provider: auto must
        // refuse rather than hand out the float64 oracle, and say what to add instead.
        int before = UnavailableTestProvider.CREATE_CALLS.get();
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("auto"));
        assertEquals("auto", e.backend());
        assertTrue(e.reason().contains("ika4j-simd"), e.reason());
        assertTrue(e.reason().contains(UnavailableTestProvider.NAME + ": " + UnavailableTestProvider.REASON), e.reason());
        assertTrue(e.reason().contains("reference: chosen only by name"), e.reason());
        assertFalse(e.reason().contains("\n"), "the reason is one line: " + e.reason());
        assertEquals(before, UnavailableTestProvider.CREATE_CALLS.get(), "an unavailable provider must never be asked to create");
        try (AttentionBackend b = Backends.open("reference")) {
            assertEquals("reference", b.name(), "the reference stays available by name");
        }
    }

    @Test
    void aNameFromAnArtifactThatIsMissingSaysWhichArtifactToAdd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda"));
        assertTrue(e.getMessage().contains("dev.ika4j:ika4j-panama-cuda"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backends.open("simd"));
        assertTrue(e.getMessage().contains("dev.ika4j:ika4j-simd"), e.getMessage());
    }

    @Test
    void anUnavailableReasonIsOneLineAndItsDetailReachesTheException() {
        dev.ika4j.api.Availability a = dev.ika4j.api.Availability.no("short", "short\nthe long trace");
        assertTrue(a.hasDetail());
        BackendUnavailableException e = new BackendUnavailableException("x", a.reason(), a.detail());
        assertEquals("short", e.reason());
        assertTrue(e.getMessage().startsWith("backend 'x' unavailable: short\n"), e.getMessage());
        assertTrue(e.getMessage().contains("the long trace"), e.getMessage());
        assertFalse(dev.ika4j.api.Availability.no("only").hasDetail());
        assertEquals("backend 'x' unavailable: only", new BackendUnavailableException("x", "only").getMessage());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu"));
        assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
        assertTrue(e.getMessage().contains(UnavailableTestProvider.NAME), e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> Backends.open((String) null));
        assertEquals("name", n.getMessage());
    }

    @Test
    void unavailableBackendFailsWithItsReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open(UnavailableTestProvider.NAME));
        assertEquals(UnavailableTestProvider.NAME, e.backend());
        assertEquals(UnavailableTestProvider.REASON, e.reason());
        assertTrue(e.getMessage().contains(UnavailableTestProvider.REASON), "the user sees the reason: " + e.getMessage());
        assertEquals(0, UnavailableTestProvider.CREATE_CALLS.get());
    }

    @Test
    void conformanceRunnerReportsTheReasonForANamedUnavailableBackend() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> ConformanceRunner.run(TestData.conformanceDir(), UnavailableTestProvider.NAME, sink));
        assertTrue(e.getMessage().contains(UnavailableTestProvider.REASON), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConformanceRunner.run(TestData.conformanceDir(), "tpu", sink));
    }

    @Test
    void autoMeansEveryAvailableBackendToTheRunner() {
        List<String> names = ConformanceRunner.backendNames("auto");
        assertTrue(names.contains("reference"), names.toString());
        assertFalse(names.contains(UnavailableTestProvider.NAME), names.toString());
        assertEquals(List.of("reference"), ConformanceRunner.backendNames("Reference"));
    }

    @Test
    void systemPropertyPicksTheBackend() {
        System.setProperty("ika.backend", "  REFERENCE ");
        assertEquals("reference", Backends.configuredName());
        try (AttentionBackend b = Backends.open()) {
            assertEquals("reference", b.name());
        }
        System.setProperty("ika.backend", UnavailableTestProvider.NAME);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, Backends::open);
        assertEquals(UnavailableTestProvider.REASON, e.reason());
        System.setProperty("ika.backend", "nonsense");
        assertThrows(IllegalArgumentException.class, Backends::open);
    }

    @Test
    void withoutPropertyOrEnvironmentTheChoiceIsAuto() {
        Assumptions.assumeTrue(System.getenv("IKA_BACKEND") == null, "IKA_BACKEND is set in this environment");
        System.clearProperty("ika.backend");
        assertEquals("auto", Backends.configuredName());
        System.setProperty("ika.backend", "   ");
        assertEquals("auto", Backends.configuredName(), "a blank property counts as unset");
    }
}
