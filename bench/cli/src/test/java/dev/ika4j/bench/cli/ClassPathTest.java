/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI's class path holds ika4j's jars and the JDK only: no JMH, ONNX Runtime, OpenBLAS or
 * JavaCPP (the build's enforcer rule says the same of the declared dependencies).
 */
class ClassPathTest {
    private static final List<String> PEER_CLASSES = List.of("org.openjdk.jmh.runner.Runner", "ai.onnxruntime.OrtEnvironment",
            "org.bytedeco.openblas.global.openblas", "org.bytedeco.javacpp.Loader");

    @Test
    void noPeerClassLoadsInTheCommandsJvm() {
        for (String name : PEER_CLASSES) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, Main.class.getClassLoader()), name);
        }
    }

    @Test
    void theLaunchersClassPathIsIka4jJarsOnly() throws IOException {
        // written before the tests run (process-test-classes); the launcher starts the commands on it
        Path cp = Path.of(System.getProperty("ika.launcher.classpath", "target/ika-classpath.txt"));
        assertTrue(Files.isRegularFile(cp), "no launcher class path file at " + cp.toAbsolutePath());
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        List<String> entries = Arrays.stream(Files.readString(cp).trim().split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank()).toList();
        assertTrue(!entries.isEmpty(), "empty class path file " + cp);
        for (String e : entries) {
            // a jar of ours, or (in a build that stops before package) a module's classes folder
            Path path = Path.of(e).toAbsolutePath();
            assertTrue(path.getFileName().toString().startsWith("ika4j-") || path.startsWith(root),
                    "the CLI's class path holds " + e);
        }
        assertEquals(1, entries.stream().filter(e -> e.contains("reference")).count(),
                "the reference is on the CLI's run-time class path (for --backend reference): " + entries);
    }
}
