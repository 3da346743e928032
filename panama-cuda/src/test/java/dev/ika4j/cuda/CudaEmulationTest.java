/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU emulation of the CUDA kernels (src/test/emu/run.sh: the kernel sources compiled with g++
 * against emu.h, each compared with a reference on small shapes), run in the test suite so that CI
 * runs it without a GPU. Skipped, with the reason, only where g++ is absent; any failure of a test
 * binary, or a missing one, fails here.
 */
class CudaEmulationTest {
    /** From the module's folder (Maven) or the repository root (scripts/gpu/run.sh). */
    private static final Path RUN = Stream.of(Path.of("src/test/emu/run.sh"), Path.of("panama-cuda/src/test/emu/run.sh"))
            .filter(Files::isRegularFile).findFirst().orElse(Path.of("src/test/emu/run.sh"));

    static Stream<String> tests() throws IOException {
        try (Stream<Path> files = Files.list(RUN.getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("test_") && n.endsWith(".cpp"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    static Optional<Path> gpp() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        return Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, "g++")).filter(Files::isExecutable).findFirst();
    }

    @Test
    void everyEmulationTestIsFound() throws IOException {
        List<String> found = tests().toList();
        assertTrue(found.containsAll(List.of("test_flash", "test_paper", "test_rows", "test_scores")), "emulation tests: " + found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tests")
    void passesOnTheCpu(String test) throws IOException, InterruptedException {
        Assumptions.assumeTrue(gpp().isPresent(), "g++ not found on PATH: the CUDA kernels' CPU emulation needs it");
        Process proc = new ProcessBuilder("bash", RUN.toString(), test).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        boolean done = proc.waitFor(10, TimeUnit.MINUTES);
        if (!done) proc.destroyForcibly();
        String log = new String(out, StandardCharsets.UTF_8);
        assertTrue(done, test + " did not finish in 10 minutes:\n" + log);
        assertEquals(0, proc.exitValue(), test + " failed:\n" + log);
        assertTrue(log.contains("== " + test), test + " did not run:\n" + log);
    }
}
