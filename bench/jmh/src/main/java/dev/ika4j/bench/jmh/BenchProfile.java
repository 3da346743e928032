/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code ./ika bench} run measures: a list of JMH runs (one benchmark class each, with its
 * parameter lists, whose cartesian product JMH walks) and the forks and iteration times.
 *
 * <p>Our kernels are Java and need C2 before they are fast, so they get more warm-up than the
 * native peers, whose first call is already compiled code.
 */
public record BenchProfile(String name, int forks, List<Run> runs) {

    /** Iterations and their lengths. */
    public record Timing(int warmupIterations, double warmupSeconds, int measureIterations, double measureSeconds) {
        /** Seconds one fork spends in iterations, plus the overshoot of a last call that runs past the end. */
        double iterationSeconds() {
            return warmupIterations * warmupSeconds + measureIterations * measureSeconds
                    + 0.15 * (warmupIterations + measureIterations);
        }
    }

    /**
     * One JMH invocation.
     *
     * @param implementation what the results are labelled with in progress lines
     * @param benchmark      the benchmark class
     * @param params         JMH parameters, each with its values, in the order JMH varies them
     * @param timing         iterations for this run
     * @param setupSeconds   a fork's start, input generation, JIT priming and reference check
     * @param maxSeq         longest sequence this run may be given by an override of its shapes
     *                       (the reference and the scalar loop take minutes per call beyond it)
     */
    public record Run(String implementation, Class<?> benchmark, Map<String, List<String>> params, Timing timing,
                      double setupSeconds, int maxSeq) {
        public int configurations() {
            return params.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
        }

        double estimatedSeconds(int forks) {
            return configurations() * forks * (setupSeconds + timing.iterationSeconds());
        }
    }

    /** Who to measure; empty lists drop that part. */
    public record Selection(List<String> backends, List<String> paperKernels, List<String> peers, int maxThreads) {
        List<String> threads() {
            return maxThreads > 1 ? List.of("1", Integer.toString(maxThreads)) : List.of("1");
        }
    }

    public static final String ORT = "onnxruntime", ORT_MHA = "onnxruntime-mha", OPENBLAS = "openblas-sgemm",
            SCALAR = "scalar-java", STREAM = "stream-read";
    /** Every peer, in the order their columns appear. */
    public static final List<String> PEERS = List.of(ORT, ORT_MHA, OPENBLAS, SCALAR, STREAM);

    private static final Timing QUICK_JAVA = new Timing(2, 0.5, 3, 0.5), QUICK_NATIVE = new Timing(1, 0.5, 3, 0.5);
    /** Paper kernels at seq 4096 take about half a second per call: longer iterations. */
    private static final Timing QUICK_KERNELS = new Timing(2, 0.5, 3, 0.75);
    private static final Timing FULL_JAVA = new Timing(3, 1, 5, 1), FULL_NATIVE = new Timing(1, 1, 5, 1);
    private static final Timing SMOKE = new Timing(1, 0.1, 1, 0.1);
    /** Seconds of a fork before its first iteration: JVM start, inputs, priming, the reference check (whole, for the paper kernels). */
    private static final double JAVA_SETUP = 3.5, KERNEL_SETUP = 6.0, NATIVE_SETUP = 2.0;
    /**
     * Longest sequences for the slow ones: the float64 reference (seconds per call at 512), the
     * scalar loop (seconds at 2048), and the paper kernels whose setup check must run the
     * reference on the whole problem (the copula pools over every query; the others are checked
     * on a sample of rows).
     */
    private static final int REFERENCE_MAX_SEQ = 512, SCALAR_MAX_SEQ = 2048, KERNEL_MAX_SEQ = 2048;

    /** The standard-attention shapes of the quick profile (b x h[/kv heads] x L x d). */
    public static final List<String> QUICK_SHAPES = List.of("1x32x128x64", "1x16x256x64", "4x8x512x64", "1x32/8x512x128",
            "1x8x1024x64", "2x8x2048x64", "1x8x2048x128", "1x8x4096x64");
    /** Decoding: one new query per head against a long KV cache (GQA at head dim 128 too). */
    public static final List<String> DECODE_SHAPES = List.of("4x8x1:16384x64", "1x32/8x1:16384x128");
    /** The paper kernels' shapes. */
    public static final List<String> KERNEL_SHAPES = List.of("1x8x1024x64", "1x8x4096x64");

    /**
     * The quick profile, one fork, about a quarter of an hour on two cores: standard attention at
     * small and long sequences, batch > 1, head dim 128 and grouped-query heads, causal and not,
     * 1 and all threads, against both ONNX Runtime operators; the same at 256-bit vectors (all
     * threads); decoding against the bandwidth of a plain read of the same bytes; the paper's
     * kernels at seq 1024 and 4096. The GQA case's non-grouped twin (1x32x512x128) runs on our
     * backends only, for the comparison.
     */
    public static BenchProfile quick(Selection sel) {
        List<String> both = List.of("false", "true");
        List<String> all = List.of(Integer.toString(sel.maxThreads()));
        Builder b = new Builder(sel);
        List<String> ours = new ArrayList<>(QUICK_SHAPES);
        ours.add(4, "1x32x512x128");
        b.ours(ours, both, sel.threads(), QUICK_JAVA);
        b.ours(QUICK_SHAPES, both, all, QUICK_JAVA, List.of("256"));
        b.ours(DECODE_SHAPES, List.of("false"), sel.threads(), QUICK_JAVA);
        b.kernels(KERNEL_SHAPES, both, all, QUICK_KERNELS);
        b.peer(ORT, QUICK_SHAPES, both, sel.threads(), QUICK_NATIVE);
        b.peer(ORT_MHA, QUICK_SHAPES, both, sel.threads(), QUICK_NATIVE);
        b.peer(STREAM, DECODE_SHAPES, List.of("false"), sel.threads(), QUICK_JAVA);
        return new BenchProfile("quick", 1, b.runs);
    }

    /**
     * The full profile: every sequence length and both head dims, odd shapes, three forks; about two
     * hours on two cores. The contrib operator runs at all threads only, the scalar loop up to seq
     * 1024 and head dim 80.
     */
    public static BenchProfile full(Selection sel) {
        List<String> shapes = new ArrayList<>();
        for (int d : new int[] {64, 128})
            for (int s : new int[] {128, 512, 1024, 2048, 4096}) shapes.add("1x8x" + s + "x" + d);
        // Odd sizes: primes and non-power-of-two head dims, batch > 1, a single head.
        shapes.addAll(List.of("2x3x1000x80", "1x5x777x72", "4x2x129x48", "1x1x4099x128", "1x32/8x512x128", "1x32x128x64",
                "1x16x256x64", "4x8x512x64", "2x8x2048x64"));
        List<String> both = List.of("false", "true");
        Builder b = new Builder(sel);
        b.ours(shapes, both, sel.threads(), FULL_JAVA);
        b.ours(DECODE_SHAPES, List.of("false"), sel.threads(), FULL_JAVA);
        b.peer(STREAM, DECODE_SHAPES, List.of("false"), sel.threads(), FULL_JAVA);
        b.ours(shapes, both, List.of(Integer.toString(sel.maxThreads())), FULL_JAVA, List.of("256"));
        b.kernels(List.of("1x8x512x64", "1x8x1024x64", "1x8x2048x64", "1x8x4096x64"), both,
                List.of(Integer.toString(sel.maxThreads())), FULL_JAVA);
        b.peer(ORT, shapes, both, sel.threads(), FULL_NATIVE);
        b.peer(ORT_MHA, shapes, both, List.of(Integer.toString(sel.maxThreads())), FULL_NATIVE);
        b.peer(OPENBLAS, shapes, both, sel.threads(), FULL_NATIVE);
        b.peer(SCALAR, shapes.stream().filter(s -> Shape.parse(s).seq() <= 1024 && Shape.parse(s).dim() < 128).toList(), both,
                sel.threads(), FULL_JAVA);
        // The float64 oracle, for scale: only where it takes well under a second per call.
        if (!sel.backends().contains("reference")) b.run("reference", AttentionBenchmark.class, params("backend", List.of("reference"), "kernel", List.of("standard"),
                "shape", List.of("1x8x128x64", "1x8x128x128"), "causal", both, "threads", List.of("1")), FULL_JAVA, JAVA_SETUP,
                REFERENCE_MAX_SEQ);
        return new BenchProfile("full", 3, b.runs);
    }

    /** Checks the harness end to end in seconds: tiny shapes, one short iteration; numbers mean nothing. */
    public static BenchProfile smoke(Selection sel) {
        List<String> shapes = List.of("1x2x64x32", "1x4/2x200x64");
        List<String> both = List.of("false", "true");
        List<String> one = List.of(Integer.toString(sel.maxThreads()));
        Builder b = new Builder(sel);
        b.ours(shapes, both, one, SMOKE);
        b.kernels(List.of("1x2x64x32"), List.of("true"), one, SMOKE);
        for (String peer : PEERS) if (!peer.equals(STREAM)) b.peer(peer, shapes, both, one, SMOKE);
        b.ours(List.of("1x2x1:1000x32"), List.of("false"), one, SMOKE);
        b.peer(STREAM, List.of("1x2x1:1000x32"), List.of("false"), one, SMOKE);
        return new BenchProfile("smoke", 1, b.runs);
    }

    /** Number of benchmark configurations (JMH parameter sets), each run {@link #forks} times. */
    public int configurations() {
        return runs.stream().mapToInt(Run::configurations).sum();
    }

    /** A rough wall-clock estimate on an otherwise idle machine. */
    public double estimatedSeconds() {
        return runs.stream().mapToDouble(r -> r.estimatedSeconds(forks)).sum();
    }

    /** This profile with every run's parameter {@code name} replaced by {@code values} where present. */
    public BenchProfile withParam(String name, List<String> values) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            if (!r.params().containsKey(name)) {
                out.add(r);
                continue;
            }
            boolean plainOnly = r.implementation().equals(OPENBLAS) || r.implementation().equals(SCALAR);
            List<String> v = name.equals("shape")
                    ? values.stream().filter(s -> Shape.parse(s).seq() <= r.maxSeq() && (!plainOnly || Shape.parse(s).selfAttention()))
                            .toList() : List.copyOf(values);
            if (v.isEmpty()) continue;
            Map<String, List<String>> p = new LinkedHashMap<>(r.params());
            p.put(name, v);
            out.addAll(decodingApart(new Run(r.implementation(), r.benchmark(), p, r.timing(), r.setupSeconds(), r.maxSeq())));
        }
        return new BenchProfile(name(), forks, out);
    }

    public BenchProfile withForks(int n) {
        if (n < 1) throw new IllegalArgumentException("forks must be >= 1, got " + n);
        return new BenchProfile(name, n, runs);
    }

    private static Map<String, List<String>> params(Object... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) kv[i + 1];
            m.put((String) kv[i], values);
        }
        return m;
    }

    /** Adds runs for the selected backends, kernels and peers only. */
    private static final class Builder {
        final Selection sel;
        final List<Run> runs = new ArrayList<>();

        Builder(Selection sel) {
            this.sel = sel;
        }

        void run(String impl, Class<?> cls, Map<String, List<String>> params, Timing t, double setup, int maxSeq) {
            if (params.values().stream().noneMatch(List::isEmpty)) runs.addAll(decodingApart(new Run(impl, cls, params, t, setup, maxSeq)));
        }

        /** Our backends; the float64 reference, if selected, in its own run limited to short sequences. */
        void ours(List<String> shapes, List<String> causal, List<String> threads, Timing t) {
            for (List<String> group : byReference()) {
                boolean ref = group.contains("reference");
                run(String.join(",", group), AttentionBenchmark.class, params("backend", group, "kernel", List.of("standard"),
                        "shape", upTo(shapes, ref ? REFERENCE_MAX_SEQ : Integer.MAX_VALUE), "causal", causal, "threads", threads),
                        t, JAVA_SETUP, ref ? REFERENCE_MAX_SEQ : Integer.MAX_VALUE);
            }
        }

        /** The simd backend at narrower vectors ({@code ika.simd.vectorBits}), if it is selected. */
        void ours(List<String> shapes, List<String> causal, List<String> threads, Timing t, List<String> vectorBits) {
            if (!sel.backends().contains("simd")) return;
            run("simd " + String.join(",", vectorBits) + "-bit", AttentionBenchmark.class, params("backend", List.of("simd"),
                    "kernel", List.of("standard"), "shape", shapes, "causal", causal, "threads", threads, "vectorBits", vectorBits),
                    t, JAVA_SETUP, Integer.MAX_VALUE);
        }

        void kernels(List<String> shapes, List<String> causal, List<String> threads, Timing t) {
            for (List<String> group : byReference()) {
                boolean ref = group.contains("reference");
                // Kernels checked on a sample of rows run at every length; the others only up to
                // the length where the whole reference takes seconds.
                List<String> sampled = sel.paperKernels().stream().filter(k -> Kernels.get(k).rowSeparable()
                        || Kernels.get(k).querySubset()).toList();
                List<String> whole = sel.paperKernels().stream().filter(k -> !sampled.contains(k)).toList();
                int max = ref ? REFERENCE_MAX_SEQ : Integer.MAX_VALUE;
                run("paper kernels" + (ref ? " (reference)" : ""), AttentionBenchmark.class,
                        params("backend", group, "kernel", nonCausalOnlyOut(sampled, causal), "shape", upTo(shapes, max), "causal", causal,
                                "threads", threads), t, KERNEL_SETUP, max);
                max = ref ? REFERENCE_MAX_SEQ : KERNEL_MAX_SEQ;
                run("paper kernels, whole check" + (ref ? " (reference)" : ""), AttentionBenchmark.class,
                        params("backend", group, "kernel", nonCausalOnlyOut(whole, causal), "shape", upTo(shapes, max), "causal",
                                causal, "threads", threads), t, KERNEL_SETUP, max);
                // the copula refuses causal attention (its encoder pools the whole sequence)
                if (causal.contains("true") && causal.contains("false")) {
                    run("paper kernels, whole check, non-causal only" + (ref ? " (reference)" : ""), AttentionBenchmark.class,
                            params("backend", group, "kernel", whole.stream().filter(NON_CAUSAL_ONLY::contains).toList(), "shape",
                                    upTo(shapes, max), "causal", List.of("false"), "threads", threads), t, KERNEL_SETUP, max);
                }
            }
        }

        /** Kernels that refuse causal attention. */
        private static final List<String> NON_CAUSAL_ONLY = List.of("copula");

        /** {@code kernels} without those that refuse causal, when causal runs are asked for. */
        private static List<String> nonCausalOnlyOut(List<String> kernels, List<String> causal) {
            if (!causal.contains("true")) return kernels;
            return kernels.stream().filter(k -> !NON_CAUSAL_ONLY.contains(k)).toList();
        }

        /** The selected backends split into the fast ones and the reference. */
        private List<List<String>> byReference() {
            List<String> fast = sel.backends().stream().filter(b -> !b.equals("reference")).toList();
            List<List<String>> out = new ArrayList<>();
            if (!fast.isEmpty()) out.add(fast);
            if (sel.backends().contains("reference")) out.add(List.of("reference"));
            return out;
        }

        private static List<String> upTo(List<String> shapes, int maxSeq) {
            return shapes.stream().filter(s -> Shape.parse(s).seq() <= maxSeq).toList();
        }

        void peer(String peer, List<String> shapes, List<String> causal, List<String> threads, Timing t) {
            if (!sel.peers().contains(peer)) return;
            Map<String, List<String>> p = new LinkedHashMap<>();
            Class<?> cls = switch (peer) {
                case ORT, ORT_MHA -> {
                    p.put("op", List.of(peer.equals(ORT) ? OnnxRuntimeBenchmark.ATTENTION : OnnxRuntimeBenchmark.MHA));
                    yield OnnxRuntimeBenchmark.class;
                }
                case OPENBLAS -> OpenBlasBenchmark.class;
                case SCALAR -> ScalarJavaBenchmark.class;
                case STREAM -> StreamReadBenchmark.class;
                default -> throw new IllegalArgumentException("unknown peer '" + peer + "'; known: " + PEERS);
            };
            // The GEMM and scalar peers compute plain self-attention only.
            boolean plainOnly = peer.equals(OPENBLAS) || peer.equals(SCALAR);
            List<String> fit = shapes.stream().filter(s -> !plainOnly || Shape.parse(s).selfAttention()).toList();
            p.putAll(params("shape", fit, "causal", causal, "threads", threads));
            boolean java = peer.equals(SCALAR) || peer.equals(STREAM);
            run(peer, cls, p, t, java ? JAVA_SETUP : NATIVE_SETUP, peer.equals(SCALAR) ? SCALAR_MAX_SEQ : Integer.MAX_VALUE);
        }
    }

    /**
     * The run, or with causal runs asked for and decoding shapes among its shapes, the run without
     * them and a non-causal run of them. A decoding shape's queries are the newest tokens of a cache
     * given as the present keys: causal masking there (query i sees keys 0..i) would leave one key
     * per query and report the read of a single row as bandwidth.
     */
    static List<Run> decodingApart(Run r) {
        List<String> shapes = r.params().get("shape"), causal = r.params().get("causal");
        if (shapes == null || causal == null || !causal.contains("true") || shapes.stream().noneMatch(BenchProfile::decoding)) {
            return List.of(r);
        }
        List<Run> out = new ArrayList<>();
        Map<String, List<String>> rest = new LinkedHashMap<>(r.params()), decode = new LinkedHashMap<>(r.params());
        rest.put("shape", shapes.stream().filter(x -> !decoding(x)).toList());
        decode.put("shape", shapes.stream().filter(BenchProfile::decoding).toList());
        decode.put("causal", causal.contains("false") ? List.of("false") : List.of());
        for (Map<String, List<String>> p : List.of(rest, decode)) {
            if (p.values().stream().noneMatch(List::isEmpty)) {
                out.add(new Run(r.implementation(), r.benchmark(), p, r.timing(), r.setupSeconds(), r.maxSeq()));
            }
        }
        return out;
    }

    private static boolean decoding(String shape) {
        return Shape.parse(shape).decode();
    }

    /** The largest thread count measured by default: every processor this JVM may use. */
    public static int defaultMaxThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
