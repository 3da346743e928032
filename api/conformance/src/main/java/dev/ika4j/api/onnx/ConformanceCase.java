/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One ONNX node-test case of the {@code Attention} operator: a folder with {@code model.onnx} and
 * {@code test_data_set_N/} folders of {@code input_N.pb} / {@code output_N.pb}. Everything (roles,
 * attributes, shapes) is read from the files themselves, so any such folder works.
 *
 * <p>Roles: {@code input_N.pb} is the N-th graph input (matched by tensor name when every file
 * carries one), and a graph input's position in the node's input list is its role (Q, K, V,
 * attn_mask, past_key, past_value, nonpad_kv_seqlen); an empty name there is an absent optional
 * input. Outputs likewise (Y, present_key, present_value, qk_matmul_output: the scores at the
 * stage qk_matmul_output_mode names).
 *
 * <p>Immutable after {@link #load}; {@link #run} may be called from several threads.
 */
public final class ConformanceCase {
    /**
     * Float32 cases. The float64 reference lands within 3e-8 of the expected values; 1e-5 leaves
     * room for float32 accumulation and fast exponentials over these short rows (&lt;= 18 keys) while
     * staying orders of magnitude below what a wrong mask, scale or head mapping moves.
     */
    public static final Tolerance FLOAT32 = new Tolerance(1e-5, 1e-5);
    /** Float16 cases: the expected values are rounded to half precision (ulp 2^-10 near 1). */
    public static final Tolerance FLOAT16 = new Tolerance(1e-3, 1e-3);

    /** Pass when |actual - expected| &lt;= atol + rtol * |expected| for every element. */
    public record Tolerance(double atol, double rtol) {
        public boolean accepts(double expected, double actual) {
            if (Double.isNaN(expected)) return Double.isNaN(actual);
            if (Double.isInfinite(expected)) return expected == actual;
            return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0e + %.0e*|y|", atol, rtol);
        }
    }

    /** One case run on one backend. {@code maxAbsError} is over every compared output (NaN if none ran). */
    public record Result(String caseName, String backend, boolean passed, double maxAbsError, String detail) {}

    static final List<String> OUTPUT_ROLES = List.of("Y", "present_key", "present_value", "qk_matmul_output");
    private static final Pattern NUMBERED = Pattern.compile("(input|output)_(\\d+)\\.pb");

    private record DataSet(String name, AttentionCall call, Map<String, OnnxTensor> expected) {}

    private final Path dir;
    private final String name;
    private final List<DataSet> dataSets;
    private final Tolerance tolerance;

    private ConformanceCase(Path dir, List<DataSet> dataSets, Tolerance tolerance) {
        this.dir = dir;
        this.name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        this.dataSets = dataSets;
        this.tolerance = tolerance;
    }

    public String name() { return name; }

    public Path dir() { return dir; }

    public Tolerance tolerance() { return tolerance; }

    /** Whether the model is one node of the ONNX {@code Attention} operator (what this runner runs). */
    public static boolean isAttentionModel(OnnxModel model) {
        return model.nodes().size() == 1 && model.nodes().getFirst().isOnnxOp("Attention");
    }

    /**
     * Reads a case folder.
     *
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException when the case is malformed or asks for something this
     *                                  project does not support (the message says what: an
     *                                  "unsupported attribute", an unknown output, ...)
     */
    public static ConformanceCase load(Path dir) throws IOException {
        OnnxModel model = OnnxModel.read(dir.resolve("model.onnx"));
        if (!isAttentionModel(model)) {
            throw new IllegalArgumentException(dir + ": model.onnx is not a single ONNX Attention node (nodes: "
                    + model.nodes().stream().map(n -> n.domain().isEmpty() ? n.opType() : n.domain() + ":" + n.opType()).toList() + ")");
        }
        OnnxNode node = model.nodes().getFirst();
        AttentionAttributes attrs = AttentionAttributes.of(node);
        checkArity(node);
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        if (sets.isEmpty()) throw new IllegalArgumentException(dir + ": no test_data_set_* folder");
        List<DataSet> dataSets = new ArrayList<>();
        boolean half = false;
        for (Path set : sets) {
            Map<String, OnnxTensor> inputs = bind(set, "input", model.fedInputs());
            Map<String, OnnxTensor> outputs = bind(set, "output", model.outputs());
            Map<Integer, OnnxTensor> byRole = new HashMap<>();
            for (int i = 0; i < node.inputs().size(); i++) {
                String n = node.input(i);
                if (n.isEmpty()) continue;
                OnnxTensor t = inputs.containsKey(n) ? inputs.get(n) : model.initializers().get(n);
                if (t == null) throw new IllegalArgumentException(set + ": node input '" + n + "' has no data");
                byRole.put(i, t);
            }
            Map<String, OnnxTensor> expected = new HashMap<>();
            for (int i = 0; i < node.outputs().size(); i++) {
                String n = node.output(i);
                if (!n.isEmpty() && outputs.containsKey(n)) expected.put(OUTPUT_ROLES.get(i), outputs.get(n));
            }
            if (!expected.containsKey("Y")) throw new IllegalArgumentException(set + ": no expected Y");
            for (OnnxTensor t : byRole.values()) half |= t.dataType() == OnnxTensor.DataType.FLOAT16;
            for (OnnxTensor t : expected.values()) half |= t.dataType() == OnnxTensor.DataType.FLOAT16;
            AttentionCall call;
            try {
                call = AttentionCall.build(attrs, byRole, !node.output(3).isEmpty());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(set + ": " + e.getMessage(), e);
            }
            dataSets.add(new DataSet(set.getFileName().toString(), call, expected));
        }
        return new ConformanceCase(dir, dataSets, half ? FLOAT16 : FLOAT32);
    }

    private static void checkArity(OnnxNode node) {
        if (node.inputs().size() > 7) {
            throw new IllegalArgumentException("unsupported: Attention node has " + node.inputs().size()
                    + " inputs; this runner knows 7 (Q, K, V, attn_mask, past_key, past_value, nonpad_kv_seqlen)");
        }
        if (node.outputs().size() > 4) {
            throw new IllegalArgumentException("unsupported: Attention node has " + node.outputs().size() + " outputs");
        }
    }

    /**
     * Reads {@code kind_N.pb} in N order and names each after a graph input or output: by the
     * tensor's own name when every file has one that the graph knows, else by position.
     */
    private static Map<String, OnnxTensor> bind(Path set, String kind, List<String> graphNames) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(set)) {
            s.forEach(p -> {
                Matcher m = NUMBERED.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).equals(kind)) files.add(p);
            });
        }
        files.sort(Comparator.comparingInt(ConformanceCase::number));
        for (int i = 0; i < files.size(); i++) {
            if (number(files.get(i)) != i) {
                throw new IllegalArgumentException(set + ": " + kind + " files are not numbered 0.." + (files.size() - 1));
            }
        }
        if (files.size() != graphNames.size()) {
            throw new IllegalArgumentException(set + ": " + files.size() + " " + kind + "_N.pb files but the graph has "
                    + graphNames.size() + " " + kind + "s " + graphNames);
        }
        List<OnnxTensor> tensors = new ArrayList<>();
        for (Path f : files) tensors.add(OnnxTensor.read(f));
        Set<String> known = new HashSet<>(graphNames);
        Set<String> seen = new HashSet<>();
        boolean byName = tensors.stream().allMatch(t -> known.contains(t.name()) && seen.add(t.name()));
        Map<String, OnnxTensor> out = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            out.put(byName ? tensors.get(i).name() : graphNames.get(i), tensors.get(i));
        }
        return out;
    }

    private static int number(Path p) {
        Matcher m = NUMBERED.matcher(p.getFileName().toString());
        if (!m.matches()) throw new IllegalStateException(p.toString());
        return Integer.parseInt(m.group(2));
    }

    /**
     * Runs every data set of this case on {@code backend} and compares Y (and present_key /
     * present_value / qk_matmul_output where the case has them) with the expected values. A backend that throws
     * fails the case with the exception's message; it never escapes.
     */
    public Result run(AttentionBackend backend) {
        double maxErr = 0;
        List<String> failures = new ArrayList<>();
        StringBuilder compared = new StringBuilder();
        for (DataSet ds : dataSets) {
            AttentionCall c = ds.call();
            AttentionResult r;
            try {
                r = backend.attention(c.q(), c.k(), c.v(), c.options());
            } catch (RuntimeException | LinkageError e) {
                String where = dataSets.size() > 1 ? ds.name() + ": " : "";
                return new Result(name, backend.name(), false, Double.NaN,
                        where + "threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            for (String role : OUTPUT_ROLES) {
                OnnxTensor exp = ds.expected().get(role);
                if (exp == null) continue;
                Tensor expected, actual;
                switch (role) {
                    case "Y" -> { expected = c.expectedOutput(exp); actual = r.output(); }
                    case "present_key" -> { expected = AttentionCall.expectedPresent(role, exp); actual = r.presentKey(); }
                    case "present_value" -> { expected = AttentionCall.expectedPresent(role, exp); actual = r.presentValue(); }
                    default -> { expected = AttentionCall.expectedPresent(role, exp); actual = r.scores(); }
                }
                Comparison cmp = compare(role, expected, actual, tolerance);
                maxErr = Math.max(maxErr, cmp.maxAbsError);
                if (cmp.failure != null) failures.add((dataSets.size() > 1 ? ds.name() + " " : "") + cmp.failure);
                if (compared.indexOf(role) < 0) compared.append(compared.isEmpty() ? "" : ", ").append(role);
            }
        }
        String detail = failures.isEmpty() ? "compared " + compared : String.join("; ", failures);
        return new Result(name, backend.name(), failures.isEmpty(), maxErr, detail);
    }

    private record Comparison(double maxAbsError, String failure) {}

    /** Element-wise comparison in logical [batch, heads, seq, dim] order, whatever the layouts. */
    private static Comparison compare(String role, Tensor expected, Tensor actual, Tolerance tol) {
        if (actual == null) return new Comparison(0, role + ": backend returned none");
        if (expected.batch() != actual.batch() || expected.heads() != actual.heads() || expected.seq() != actual.seq()
                || expected.dim() != actual.dim()) {
            return new Comparison(0, role + ": shape " + actual.shapeString() + ", expected " + expected.shapeString());
        }
        double max = 0;
        String first = null;
        int bad = 0;
        for (int b = 0; b < expected.batch(); b++) {
            for (int h = 0; h < expected.heads(); h++) {
                for (int s = 0; s < expected.seq(); s++) {
                    for (int d = 0; d < expected.dim(); d++) {
                        double e = expected.get(b, h, s, d), a = actual.get(b, h, s, d);
                        if (!tol.accepts(e, a)) {
                            bad++;
                            if (first == null) {
                                first = String.format(Locale.ROOT, "%s[%d,%d,%d,%d] = %s, expected %s", role, b, h, s, d,
                                        (float) a, (float) e);
                            }
                        }
                        double err = Double.isNaN(e) && Double.isNaN(a) || e == a ? 0 : Math.abs(a - e);
                        if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
                        max = Math.max(max, err);
                    }
                }
            }
        }
        String failure = first == null ? null
                : role + ": " + bad + " of " + expected.size() + " values outside " + tol + ", first " + first;
        return new Comparison(max, failure);
    }

    @Override
    public String toString() {
        return "ConformanceCase " + name + " (" + dir + ")";
    }
}
