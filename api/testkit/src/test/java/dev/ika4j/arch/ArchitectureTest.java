/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The structure the modules promise, read from the sources of every module (src/main/java): no
 * package depends on another that depends back on it, directly or around a circle, and no
 * production module reaches the float64 reference, which is the oracle the backends are tested
 * against and so must stay apart from them. A dependency is any mention of a class of another
 * ika4j package in code (imports and qualified names; comments and strings do not count).
 *
 * <p>No circle is exempt: the user API ({@code dev.ika4j.api}, which holds the backend provider and
 * the training types too) depends on the kernels only, the SPI on the API, the plan on both.
 */
class ArchitectureTest {
    /** Modules users embed or run: none may mention the reference (the CLI finds it by name at run time). */
    private static final List<String> PRODUCTION = List.of("api/core", "simd", "panama-cuda", "bench/cli");
    private static final String REFERENCE = "dev.ika4j.api.reference";
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern MENTION = Pattern.compile("\\b(dev\\.ika4j(?:\\.[a-z]\\w*)+)\\.[A-Z]");

    private record Source(String module, String pkg, Path file, Set<String> uses) {}

    private static final List<Source> SOURCES = scan(root());

    static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("api/core")) && Files.isDirectory(d.resolve("native-headers"))) return d;
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    static List<Source> scan(Path root) {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                int at = rel.indexOf("/src/main/java/");
                String name = f.getFileName().toString();
                if (at < 0 || !name.endsWith(".java") || name.equals("module-info.java") || rel.contains("/target")) continue;
                String code = stripCommentsAndStrings(Files.readString(f));
                Matcher pm = PACKAGE.matcher(code);
                if (!pm.find()) continue;
                String pkg = pm.group(1);
                Set<String> uses = new TreeSet<>();
                Matcher m = MENTION.matcher(code);
                while (m.find()) if (!m.group(1).equals(pkg)) uses.add(m.group(1));
                out.add(new Source(rel.substring(0, at), pkg, f, uses));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Comments, text blocks, strings and chars become blanks, so that only code counts. */
    static String stripCommentsAndStrings(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                b.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                b.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
                i = j + 1;
                b.append(c).append(c);
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    @Test
    void theScanSeesTheWholeProject() {
        Set<String> modules = new TreeSet<>();
        SOURCES.forEach(s -> modules.add(s.module()));
        assertTrue(modules.containsAll(List.of("api/core", "api/reference", "api/conformance", "simd", "panama-cuda", "bench/cli",
                "bench/train", "bench/jmh")), "modules seen: " + modules);
        assertTrue(SOURCES.size() > 150, SOURCES.size() + " sources");
        // a known dependency, so that a broken scan cannot pass the other tests
        assertTrue(SOURCES.stream().anyMatch(s -> s.pkg().equals("dev.ika4j.simd") && s.uses().contains("dev.ika4j.api.spi")));
        assertEquals("x   y ", stripCommentsAndStrings("x /* dev.ika4j.a.B */ y // dev.ika4j.c.D"));
    }

    @Test
    void noProductionModuleMentionsTheReference() {
        List<String> bad = new ArrayList<>();
        for (Source s : SOURCES) {
            if (PRODUCTION.contains(s.module()) && (s.pkg().startsWith(REFERENCE) || s.uses().stream().anyMatch(u -> u.startsWith(REFERENCE)))) {
                bad.add(s.module() + ": " + root().relativize(s.file()));
            }
        }
        assertEquals(List.of(), bad, "production sources that mention " + REFERENCE);
    }

    @Test
    void noPackageCircles() {
        Map<String, Set<String>> graph = new TreeMap<>();
        Map<String, Path> example = new HashMap<>();
        for (Source s : SOURCES) {
            graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).addAll(s.uses());
            for (String u : s.uses()) example.putIfAbsent(s.pkg() + " -> " + u, s.file());
        }
        List<List<String>> circles = new Tarjan(graph).circles();
        if (circles.isEmpty()) return;
        StringBuilder msg = new StringBuilder("package circles:\n");
        for (List<String> c : circles) {
            msg.append("  ").append(c).append('\n');
            for (String a : c) {
                for (String b : graph.getOrDefault(a, Set.of())) {
                    if (c.contains(b)) msg.append("    ").append(a).append(" -> ").append(b).append("  (e.g. ")
                            .append(root().relativize(example.get(a + " -> " + b))).append(")\n");
                }
            }
        }
        fail(msg.toString());
    }

    @Test
    void theCircleFinderFindsCircles() {
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), new Tarjan(g).circles());
        assertEquals(List.of(), new Tarjan(Map.of("a", Set.of("b"), "b", Set.of())).circles());
    }

    /** Strongly connected components of two or more packages: the circles. */
    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<List<String>> circles = new ArrayList<>();
        private int next;

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<List<String>> circles() {
            for (String v : new TreeSet<>(graph.keySet())) if (!index.containsKey(v)) visit(v);
            return circles;
        }

        private void visit(String v) {
            index.put(v, next);
            low.put(v, next++);
            stack.add(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> comp = new ArrayList<>();
                String w;
                do {
                    w = stack.removeLast();
                    onStack.remove(w);
                    comp.add(w);
                } while (!w.equals(v));
                if (comp.size() > 1) circles.add(comp.stream().sorted().toList());
            }
        }
    }
}
