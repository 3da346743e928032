/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Availability detection and registration of the simd backend. */
class SimdProviderTest {
    @Test
    void availableInTheTestJvmWithItsWidth() {
        SimdProvider p = new SimdProvider();
        assertEquals("simd", p.name());
        assertEquals(100, p.priority());
        Availability a = p.availability();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().contains("bit"), a.reason());
        assertNull(SimdProvider.c2Missing());
    }

    @Test
    void registeredAndChosenByAutoOverTheReference() {
        assertTrue(Backends.list().stream().anyMatch(s -> s.name().equals("simd") && s.available()), Backends.list().toString());
        try (AttentionBackend b = Backends.open("simd")) {
            assertInstanceOf(SimdBackend.class, b);
            assertTrue(Integer.parseInt(b.properties().get("vector bits")) >= 128);
        }
        try (AttentionBackend b = new SimdProvider().create(BackendConfig.defaults().withThreads(3))) {
            assertEquals("3", b.properties().get("threads"));
        }
    }

    /** Runs {@link Probe} in a fresh JVM with the given flags and returns its output. */
    private static String probe(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(List.of(flags));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Probe.class.getName());
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void withoutTheVectorModuleItSaysHowToEnableIt() throws Exception {
        String out = probe();
        assertTrue(out.contains("available=false") && out.contains("--add-modules jdk.incubator.vector"), out);
    }

    @Test
    void withoutC2ItSaysSo() throws Exception {
        String out = probe("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1");
        assertTrue(out.contains("available=false") && out.contains("C2"), out);
        String interpreted = probe("--add-modules", "jdk.incubator.vector", "-Xint");
        assertTrue(interpreted.contains("available=false") && interpreted.contains("-Xint"), interpreted);
    }

    @Test
    void withEverythingInPlaceItIsAvailable() throws Exception {
        String out = probe("--add-modules", "jdk.incubator.vector");
        assertTrue(out.contains("available=true"), out);
    }

    /** Prints the provider's verdict; run in a child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            Availability a = new SimdProvider().availability();
            System.out.println("available=" + a.available() + " reason=" + a.reason());
        }
    }
}
