/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The facts a benchmark table is meaningless without: CPU model, cores, SIMD features and the
 * Vector API's preferred width, JDK, OS, memory. Read from /proc where it exists.
 */
public final class MachineInfo {
    private static final List<String> X86_FEATURES = List.of("avx", "avx2", "fma", "avx512f", "avx512_bf16",
            "avx512_fp16", "amx_tile");

    private MachineInfo() {}

    /** An ordered map of label to value. */
    public static Map<String, String> collect() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        m.put("cpu", first(cpuinfo, "model name").orElse(System.getProperty("os.arch")));
        m.put("cores", cores(cpuinfo));
        m.put("simd", simdFeatures(cpuinfo));
        m.put("vector", vectorWidth());
        first(cpuinfo, "cpu MHz").ifPresent(mhz -> m.put("clock", mhz + " MHz (as /proc/cpuinfo reports it now)"));
        first(lines(Path.of("/proc/meminfo")), "MemTotal").ifPresent(mem -> m.put("memory", mem));
        m.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return m;
    }

    /** One line: "AMD EPYC, 2 cores, 512-bit vectors (avx2 fma avx512f), JDK 25.0.3". */
    public static String oneLine(Map<String, String> m) {
        return m.getOrDefault("cpu", "?") + "; " + m.getOrDefault("cores", "?") + "; " + m.getOrDefault("vector", "?")
                + "; " + m.getOrDefault("simd", "?") + "; " + m.getOrDefault("jdk", "?");
    }

    /** Short form for tables and charts: "AMD EPYC, 2 logical processors, 512-bit vectors, JDK 25.0.3+9-LTS". */
    public static String brief(Map<String, String> m) {
        String jdk = upTo(m.getOrDefault("jdk", "?"), " (");
        int vm = jdk.lastIndexOf("VM ");
        return m.getOrDefault("cpu", "?") + ", " + upTo(m.getOrDefault("cores", "?"), " available") + ", "
                + upTo(m.getOrDefault("vector", "?"), " (") + ", JDK " + (vm < 0 ? jdk : jdk.substring(vm + 3));
    }

    private static String upTo(String s, String end) {
        int i = s.indexOf(end);
        return i < 0 ? s : s.substring(0, i);
    }

    private static String cores(List<String> cpuinfo) {
        int logical = Runtime.getRuntime().availableProcessors();
        Set<String> physical = new HashSet<>();
        String physId = "0";
        for (String l : cpuinfo) {
            if (l.startsWith("physical id")) physId = value(l);
            if (l.startsWith("core id")) physical.add(physId + ":" + value(l));
        }
        return logical + " logical processors available to the JVM"
                + (physical.isEmpty() ? "" : ", " + physical.size() + " physical cores in /proc/cpuinfo");
    }

    private static String simdFeatures(List<String> cpuinfo) {
        String flags = first(cpuinfo, "flags").or(() -> first(cpuinfo, "Features")).orElse("");
        Set<String> have = new TreeSet<>(List.of(flags.split("\\s+")));
        StringBuilder b = new StringBuilder();
        for (String f : X86_FEATURES) if (have.contains(f)) b.append(b.isEmpty() ? "" : " ").append(f);
        for (String f : List.of("asimd", "sve", "sve2")) if (have.contains(f)) b.append(b.isEmpty() ? "" : " ").append(f);
        return b.isEmpty() ? "no SIMD flags found" : b.toString();
    }

    /** The Vector API's preferred float species, which the SIMD backend is written against. */
    private static String vectorWidth() {
        try {
            int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            return String.format(Locale.ROOT, "%d-bit vectors (%d floats, Vector API preferred species)", bits, bits / 32);
        } catch (Throwable t) {
            return "Vector API not available in this JVM (" + t.getClass().getSimpleName() + ")";
        }
    }

    private static java.util.Optional<String> first(List<String> lines, String key) {
        for (String l : lines) {
            if (l.startsWith(key) && l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).trim().equals(key)) {
                return java.util.Optional.of(value(l));
            }
        }
        return java.util.Optional.empty();
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).trim();
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
