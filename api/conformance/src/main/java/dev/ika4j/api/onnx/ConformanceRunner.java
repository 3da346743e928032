/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs every ONNX Attention node-test case found under a folder on one or more backends, printing
 * one line per case and backend and, last, {@code N passed, M failed} (counting case x backend
 * pairs). Used by {@code ./ika conformance DIR} and by the tests, so both take the same path.
 */
public final class ConformanceRunner {
    private ConformanceRunner() {}

    /** What a run found. {@code skipped}: folders with a model.onnx that is not an Attention node. */
    public record Summary(int passed, int failed, int skipped, List<ConformanceCase.Result> results) {
        public Summary {
            results = List.copyOf(results);
        }

        /** 0 when everything that ran passed and something ran; 1 otherwise. */
        public int exitCode() {
            return failed == 0 && passed > 0 ? 0 : 1;
        }
    }

    /** Every folder at any depth under {@code dir} that holds a {@code model.onnx}, sorted by path. */
    public static List<Path> findModelFolders(Path dir) throws IOException {
        checkFolder(dir);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("model.onnx") && Files.isRegularFile(p))
                    .map(Path::getParent)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }

    /**
     * The backends a name selects: "auto" means every backend available here (highest priority
     * first), any other name just that one.
     */
    public static List<String> backendNames(String configured) {
        if (isAuto(configured)) {
            return Backends.list().stream().filter(Backends.Status::available).map(Backends.Status::name).toList();
        }
        return List.of(configured.trim().toLowerCase(Locale.ROOT));
    }

    private static boolean isAuto(String name) {
        return name == null || name.isBlank() || name.trim().equalsIgnoreCase("auto");
    }

    /**
     * Opens the backends {@code backendName} selects ({@link #backendNames}), runs every case under
     * {@code dir} on each and closes them.
     *
     * @throws IllegalArgumentException                 for an unknown backend name or a missing folder
     * @throws dev.ika4j.api.BackendUnavailableException for a named backend that cannot run here
     */
    public static Summary run(Path dir, String backendName, PrintStream out) throws IOException {
        checkFolder(dir);  // before the header: a missing folder is the one line of output
        List<AttentionBackend> backends = new ArrayList<>();
        try {
            for (String n : backendNames(backendName)) backends.add(Backends.open(n));
            StringBuilder header = new StringBuilder("backends: ");
            header.append(String.join(", ", backends.stream().map(AttentionBackend::name).toList()));
            if (isAuto(backendName)) {
                // say which backends auto left out and why, so a missing GPU is visible in the report
                for (Backends.Status s : Backends.list()) {
                    if (!s.available()) header.append("; not run: ").append(s.name()).append(" (").append(s.reason()).append(')');
                }
            }
            out.println(header);
            return run(dir, backends, out);
        } finally {
            for (AttentionBackend b : backends) b.close();
        }
    }

    /** An IllegalArgumentException naming {@code dir} unless it is a directory. */
    private static void checkFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException((Files.exists(dir) ? "not a directory: " : "no such directory: ") + dir);
        }
    }

    /** Runs every case under {@code dir} on each backend (which stay open). */
    public static Summary run(Path dir, List<AttentionBackend> backends, PrintStream out) throws IOException {
        List<ConformanceCase.Result> results = new ArrayList<>();
        int skipped = 0;
        for (Path folder : findModelFolders(dir)) {
            ConformanceCase c;
            try {
                if (!ConformanceCase.isAttentionModel(OnnxModel.read(folder.resolve("model.onnx")))) {
                    skipped++;
                    continue;
                }
                c = ConformanceCase.load(folder);
            } catch (IOException | RuntimeException e) {
                // A case that cannot be read or asks for what we lack fails on every backend: counting
                // it as skipped would let an unsupported attribute pass silently.
                String name = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
                for (AttentionBackend b : backends) {
                    ConformanceCase.Result r = new ConformanceCase.Result(name, b.name(), false, Double.NaN, describe(e));
                    results.add(r);
                    out.println(line(r));
                }
                continue;
            }
            for (AttentionBackend b : backends) {
                ConformanceCase.Result r = c.run(b);
                results.add(r);
                out.println(line(r));
            }
        }
        int passed = (int) results.stream().filter(ConformanceCase.Result::passed).count();
        int failed = results.size() - passed;
        if (skipped > 0) out.println("(" + skipped + " folders under " + dir + " hold a model.onnx that is not an ONNX Attention node; not run)");
        if (results.isEmpty()) {
            out.println(backends.isEmpty() ? "no backend to run on" : "no ONNX Attention case found under " + dir);
        }
        out.println(passed + " passed, " + failed + " failed");
        return new Summary(passed, failed, skipped, results);
    }

    private static String describe(Exception e) {
        return e instanceof IOException ? "cannot read: " + e : e.getMessage();
    }

    /** "PASS  case  backend  max abs err 1.2e-08  detail". */
    public static String line(ConformanceCase.Result r) {
        String err = Double.isNaN(r.maxAbsError()) ? "-" : String.format(Locale.ROOT, "%.2e", r.maxAbsError());
        return String.format(Locale.ROOT, "%s  %-48s %-10s max abs err %-9s %s", r.passed() ? "PASS" : "FAIL", r.caseName(),
                r.backend(), err, r.detail());
    }

    /** {@code java ... dev.ika4j.api.onnx.ConformanceRunner DIR}; the backend comes from -Dika.backend / IKA_BACKEND. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ConformanceRunner DIR   (-Dika.backend=NAME or IKA_BACKEND picks one backend; default: all available)");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), Backends.configuredName(), System.out).exitCode());
    }
}
