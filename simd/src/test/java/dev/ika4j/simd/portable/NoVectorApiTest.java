/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback as a user meets it: a JVM on the class path without {@code --add-modules
 * jdk.incubator.vector}. {@code auto} must take the portable backend (never the float64
 * reference), say with a WARNING which flag is missing, compute correctly, and load no class of
 * the simd artifact that refers to the Vector API (each would fail to link there).
 */
class NoVectorApiTest {
    /** The simd classes that may load without the Vector API: the providers, the pools, the FMA check. */
    private static final Pattern ALLOWED = Pattern.compile(
            "dev\\.ika4j\\.simd\\.(portable\\..*|SimdProvider(\\$.*)?|internal\\.(WorkPool|ScratchPool|FmaSupport)(\\$.*)?)");

    @TempDir
    Path work;

    @Test
    void withTheVectorApiPresentAutoTakesSimdAndPortableStaysByName() {
        try (AttentionBackend auto = Backends.open("auto")) {
            assertEquals("simd", auto.name());
        }
        try (AttentionBackend p = Backends.open("portable")) {
            assertEquals("portable", p.name());
        }
    }

    @Test
    void withoutTheVectorApiAutoTakesThePortableBackendAndWarns() throws IOException, InterruptedException {
        Path stdout = work.resolve("out.txt"), stderr = work.resolve("err.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Without FMA instructions the portable kernels must take the multiply-add form:
                // Math.fma would run in software there.
                "-XX:-UseFMA", "-verbose:class", "-cp", System.getProperty("java.class.path"), NoVectorApiMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().remove("IKA_BACKEND");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process proc = pb.start();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
        String out = Files.readString(stdout, StandardCharsets.UTF_8), err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, proc.exitValue(), "child JVM failed:\n" + tail(out) + "\n" + tail(err));
        assertTrue(out.contains("auto=portable"), "auto must take the portable backend: " + tail(out));
        Matcher m = Pattern.compile("maxerr=(\\S+)").matcher(out);
        assertTrue(m.find(), tail(out));
        double maxErr = Double.parseDouble(m.group(1));
        assertTrue(maxErr < 1e-5, "portable vs reference max abs error " + maxErr);
        assertTrue(out.contains("fused=false"), "no Math.fma without hardware FMA: " + tail(out));
        List<String> messages = new ArrayList<>();
        for (String line : err.split("\\R")) if (line.contains("ika4j:")) messages.add(line);
        assertEquals(1, messages.size(), "auto says it once, in one message: " + messages);
        assertTrue(messages.getFirst().startsWith("WARNING") && messages.getFirst().contains("--add-modules jdk.incubator.vector")
                && messages.getFirst().contains("auto selected backend 'portable'"),
                "a WARNING names the choice and the missing flag: " + messages);
        assertTrue(!err.contains("INFO"), "no INFO line beside the warning: " + tail(err));
        List<String> vectorClasses = new ArrayList<>();
        Matcher loaded = Pattern.compile("\\[class,load\\] (dev\\.ika4j\\.simd\\.\\S+)").matcher(out);
        while (loaded.find()) {
            if (!ALLOWED.matcher(loaded.group(1)).matches()) vectorClasses.add(loaded.group(1));
        }
        assertTrue(vectorClasses.isEmpty(), "loaded without the Vector API: " + vectorClasses);
        assertTrue(out.contains("dev.ika4j.simd.portable.PortableAttention"), "the check saw the class loading");
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
