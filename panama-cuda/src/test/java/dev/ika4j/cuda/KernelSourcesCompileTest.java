/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.cuda.kernels.KernelLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel source compiles with {@code nvcc -ptx} for sm_90 with warnings as errors, and
 * exports every entry point the Java side launches, so a syntax error or a renamed kernel never
 * waits for a GPU to be found. Skipped, with the reason, where nvcc is absent.
 */
class KernelSourcesCompileTest {

    static Stream<String> sources() {
        return KernelLibrary.SOURCES.stream();
    }

    static Optional<Path> nvcc() {
        List<Path> cands = new ArrayList<>();
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) cands.add(Path.of(v, "bin", "nvcc"));
        }
        cands.add(Path.of("/usr/local/cuda/bin/nvcc"));
        String path = System.getenv("PATH");
        if (path != null) for (String p : path.split(java.io.File.pathSeparator)) cands.add(Path.of(p, "nvcc"));
        return cands.stream().filter(Files::isExecutable).findFirst();
    }

    @ParameterizedTest
    @MethodSource("sources")
    void compilesWithNvccAndExportsItsEntryPoints(String name) throws IOException, InterruptedException {
        Optional<Path> nvcc = nvcc();
        Assumptions.assumeTrue(nvcc.isPresent(), "nvcc not found (CUDA_HOME, CUDA_PATH, /usr/local/cuda/bin, PATH)");
        Path dir = Files.createTempDirectory("ika-nvcc");
        try {
            Path src = dir.resolve(name), ptx = dir.resolve(name + ".ptx");
            Files.writeString(src, KernelLibrary.source(name));
            Process p = new ProcessBuilder(nvcc.get().toString(), "-ptx", "-arch=sm_90", "-Werror", "all-warnings",
                    "-o", ptx.toString(), src.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc timed out");
            assertEquals(0, p.exitValue(), "nvcc -ptx " + name + " failed:\n" + log);
            String text = Files.readString(ptx);
            for (String entry : KernelLibrary.ENTRY_POINTS.get(name)) {
                assertTrue(text.contains(".entry " + entry + "("), name + " does not export " + entry);
            }
            assertTrue(KernelLibrary.ENTRY_POINTS.containsKey(name), name + " lists its entry points");
        } finally {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
