/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typed settings, their checks, and the one table of docs/settings.md that lists them. */
class SettingsTest {
    private final List<String> touched = List.of("ika.threads", "ika.device", "ika.tf32", "ika.cuda.path",
            "ika.scoreBudgetBytes", "ika.backend");
    private final java.util.Map<String, String> saved = new java.util.HashMap<>();

    {
        for (String p : touched) saved.put(p, System.getProperty(p));
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    private static void assertBad(String property, String value, String... mention) {
        System.setProperty(property, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BackendConfig::defaults, property + "=" + value);
        assertTrue(e.getMessage().contains(property) && e.getMessage().contains("'" + value + "'"),
                () -> "the message names the property and the value: " + e.getMessage());
        for (String m : mention) assertTrue(e.getMessage().contains(m), () -> e.getMessage() + " should mention " + m);
        System.clearProperty(property);
    }

    @Test
    void badValuesNameThePropertyAndTheValue() {
        assertBad("ika.threads", "four", "integer >= 1");
        assertBad("ika.threads", "0", "integer >= 1");
        assertBad("ika.device", "-1", "integer >= 0");
        assertBad("ika.tf32", "yes", "true or false");
        assertBad("ika.cuda.path", "fastest", "auto, gemm or fused");
        assertBad("ika.scoreBudgetBytes", "1GiB", "integer >= 1");
        System.setProperty("ika.threads", "four");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("reference"));
        assertEquals("ika.threads (system property) must be an integer >= 1, got 'four'", e.getMessage());
    }

    @Test
    void propertiesAreReadTypedAndCodeWins() {
        System.setProperty("ika.threads", " 3 ");
        System.setProperty("ika.tf32", "TRUE");
        System.setProperty("ika.cuda.path", "Fused");
        System.setProperty("ika.scoreBudgetBytes", "4096");
        BackendConfig c = BackendConfig.defaults();
        assertEquals(3, c.threads());
        assertTrue(c.tf32());
        assertEquals(BackendConfig.CudaPath.FUSED, c.cudaPath());
        assertEquals(4096, c.scoreBudgetBytes().orElseThrow());
        assertEquals(5, c.withThreads(5).threads(), "a value given in code wins over the property");
        System.setProperty("ika.threads", "  ");
        assertEquals(Runtime.getRuntime().availableProcessors(), BackendConfig.defaults().threads(), "blank is not set");
        assertThrows(IllegalArgumentException.class, () -> c.withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> c.withDevice(-1));
        assertThrows(IllegalArgumentException.class, () -> c.withScoreBudgetBytes(0));
    }

    @Test
    void environmentNamesFollowTheProperty() {
        assertEquals("IKA_SCORE_BUDGET_BYTES", Setting.environmentName("ika.scoreBudgetBytes"));
        assertEquals("IKA_CUDA_PATH", Setting.environmentName("ika.cuda.path"));
        assertEquals("IKA_SIMD_QUERY_BLOCK", Settings.SIMD_QUERY_BLOCK.environment());
    }

    @Test
    void theTableListsEverySettingWithItsVariableAndDefault() throws IOException {
        List<String> rows = Files.readAllLines(root().resolve("docs/settings.md")).stream().filter(l -> l.startsWith("| `")).toList();
        for (Setting<?> s : Settings.all()) {
            String row = rows.stream().filter(l -> l.startsWith("| `" + s.property() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError(s.property() + " has no row in docs/settings.md"));
            assertTrue(row.contains("`" + s.environment() + "`"), () -> row + " should name " + s.environment());
        }
    }

    /**
     * Every {@code "ika.*"} property named in a main source file of any module is a constant of
     * {@link Settings} (the test kit's own are rows of the table's test section), and every {@code IKA_*} variable of the launcher is in the table.
     */
    @Test
    void nothingReadsASettingTheTableDoesNotList() throws IOException {
        Path root = root();
        Set<String> known = new HashSet<>();
        for (Setting<?> s : Settings.all()) known.add(s.property());
        Set<String> unknown = new TreeSet<>();
        String table = read(root.resolve("docs/settings.md"));
        Pattern literal = Pattern.compile("\"(ika\\.[A-Za-z][A-Za-z.]*)\"");
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .filter(p -> !p.toString().contains("/target"))
                    .forEach(p -> {
                        Matcher m = literal.matcher(read(p));
                        while (m.find()) {
                            // the library's go through Settings; test-only ones need a row in the table
                            boolean testOnly = p.toString().contains("testkit") && table.contains("| `" + m.group(1) + "` (tests)");
                            if (!known.contains(m.group(1)) && !testOnly) unknown.add(m.group(1) + " in " + root.relativize(p));
                        }
                    });
        }
        assertTrue(unknown.isEmpty(), "ika.* properties read but not in Settings and docs/settings.md: " + unknown);
        Matcher env = Pattern.compile("\\bIKA_[A-Z_]+\\b").matcher(read(root.resolve("ika")));
        while (env.find()) assertTrue(table.contains("`" + env.group() + "`"), env.group() + " (./ika) is not in docs/settings.md");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root, found upwards from the module folder the tests run in. */
    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docs/settings.md")) && Files.isRegularFile(d.resolve("ika"))) return d;
        }
        throw new AssertionError("no docs/settings.md above " + Path.of("").toAbsolutePath());
    }
}
