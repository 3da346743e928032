/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * A user's program on the module path: a named module that says {@code requires dev.ika4j.api;
 * requires dev.ika4j.simd;} is compiled against the built ika4j-api and ika4j-simd (the jars in a
 * {@code verify} build, the classes folders where the build stops before package) and run in a
 * fresh JVM with no {@code --add-modules} or {@code --add-exports}: the module graph alone must
 * resolve the Vector API and find the simd provider through {@code uses}/{@code provides}, and
 * one attention call must agree with the softmax the program computes itself.
 */
class ModulePathTest {
    private static final String MODULE_INFO = """
            module ika.modcheck {
                requires dev.ika4j.api;
                requires dev.ika4j.simd;
            }
            """;
    private static final String MAIN = """
            package ika.modcheck;

            import dev.ika4j.api.AttentionBackend;
            import dev.ika4j.api.AttentionOptions;
            import dev.ika4j.api.Backends;
            import dev.ika4j.api.Tensor;

            public final class Main {
                public static void main(String[] args) {
                    int s = 3, d = 5;
                    float[] q = new float[s * d], k = new float[s * d], v = new float[s * d];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = (float) Math.sin(0.7 * i + 0.1);
                        k[i] = (float) Math.cos(1.3 * i + 0.2);
                        v[i] = (float) Math.sin(2.1 * i - 0.3);
                    }
                    try (AttentionBackend backend = Backends.open()) {
                        float[] out = backend.attention(Tensor.bhsd(q, 1, 1, s, d), Tensor.bhsd(k, 1, 1, s, d),
                                Tensor.bhsd(v, 1, 1, s, d), AttentionOptions.builder().build()).output().toArray();
                        double worst = 0;
                        for (int i = 0; i < s; i++) {
                            double[] w = new double[s];
                            double max = Double.NEGATIVE_INFINITY, sum = 0;
                            for (int j = 0; j < s; j++) {
                                for (int c = 0; c < d; c++) w[j] += (double) q[i * d + c] * k[j * d + c];
                                w[j] /= Math.sqrt(d);
                                max = Math.max(max, w[j]);
                            }
                            for (int j = 0; j < s; j++) sum += w[j] = Math.exp(w[j] - max);
                            for (int c = 0; c < d; c++) {
                                double e = 0;
                                for (int j = 0; j < s; j++) e += w[j] / sum * v[j * d + c];
                                worst = Math.max(worst, Math.abs(e - out[i * d + c]));
                            }
                        }
                        System.out.println("backend=" + backend.name() + " module=" + backend.getClass().getModule().getName()
                                + " worst=" + worst);
                    }
                }
            }
            """;

    @Test
    void aNamedModuleRequiringApiAndSimdRunsACallOnSimd() throws Exception {
        List<String> entries = launcherClassPath();
        String api = only(entries, "ika4j-api-", "api/core/target/classes");
        String simd = only(entries, "ika4j-simd-", "simd/target/classes");
        String modulePath = api + File.pathSeparator + simd;

        Path work = Path.of("target", "module-path-test").toAbsolutePath();
        Path src = work.resolve("src/ika.modcheck"), out = work.resolve("classes");
        Files.createDirectories(src.resolve("ika/modcheck"));
        Files.createDirectories(out);
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("ika/modcheck/Main.java"), MAIN);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler in " + System.getProperty("java.home"));
        java.io.ByteArrayOutputStream diag = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, "--module-path", modulePath, "-d", out.toString(),
                src.resolve("module-info.java").toString(), src.resolve("ika/modcheck/Main.java").toString());
        assertEquals(0, rc, "javac on the module path failed:\n" + diag.toString(StandardCharsets.UTF_8));

        // No --add-modules: jdk.incubator.vector must come in through dev.ika4j.simd's requires.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--module-path", modulePath + File.pathSeparator + out,
                "-Dika.backend=auto", "-m", "ika.modcheck/ika.modcheck.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("IKA_BACKEND");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String text;
        try (var in = p.getInputStream()) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the module-path program did not finish in 120 s: " + cmd);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, p.exitValue(), "the module-path program failed: " + cmd + "\n" + text);
        assertTrue(text.contains("backend=simd module=dev.ika4j.simd"), "auto did not pick simd from its module:\n" + text);
        String worst = text.substring(text.indexOf("worst=") + 6).trim().split("\\s")[0];
        double err = Double.parseDouble(worst);
        assertTrue(err < 1e-5, "the call disagrees with the program's own softmax by " + err + ":\n" + text);
    }

    private static List<String> launcherClassPath() throws IOException {
        Path cp = Path.of(System.getProperty("ika.launcher.classpath", "target/ika-classpath.txt"));
        assertTrue(Files.isRegularFile(cp), "no launcher class path file at " + cp.toAbsolutePath());
        return Arrays.stream(Files.readString(cp).trim().split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    }

    /** The one entry that is the module's jar (not its sources or javadoc jar) or its classes folder. */
    private static String only(List<String> entries, String jarPrefix, String classesDir) {
        List<String> hits = entries.stream().filter(e -> {
            String name = Path.of(e).getFileName().toString();
            return (name.startsWith(jarPrefix) && name.endsWith(".jar") && !name.contains("-sources") && !name.contains("-javadoc"))
                    || e.replace('\\', '/').endsWith(classesDir);
        }).toList();
        assertEquals(1, hits.size(), jarPrefix + " on the launcher's class path: " + entries);
        return hits.getFirst();
    }
}
