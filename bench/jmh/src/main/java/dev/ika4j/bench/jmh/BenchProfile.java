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
            SCALAR = "scalar-java";
    /** Every peer, in the order their columns appear. */
    public static final List<String> PEERS = List.of(ORT, ORT_MHA, OPENBLAS, SCALAR);

    private static final Timing QUICK_JAVA = new Timing(2, 1, 3, 1), QUICK_NATIVE = new Timing(1, 1, 3, 1);
    private static final Timing FULL_JAVA = new Timing(3, 1, 5, 1), FULL_NATIVE = new Timing(1, 1, 5, 1);
    private static final Timing SMOKE = new Timing(1, 0.1, 1, 0.1);
    /** Seconds of a fork before its first iteration: JVM start, inputs, priming, the reference check (whole, for the paper kernels). */
    private static final double JAVA_SETUP = 3.5, KERNEL_SETUP = 6.0, NATIVE_SETUP = 2.0;
    /**
     * Longest sequences for the slow ones: the float64 reference (seconds per call at 512), the
     * scalar loop (seconds at 2048), and the paper kernels, whose setup check runs the reference
     * on the whole problem.
     */
    private static final int REFERENCE_MAX_SEQ = 512, SCALAR_MAX_SEQ = 2048, KERNEL_MAX_SEQ = 2048;

    /**
     * The quick profile: the key shape (batch 1, 8 heads, head dim 64, seq 1024-4096, causal
     * and not, 1 and all threads) for every backend and peer, one fork; the paper's kernels at seq
     * 1024. A few minutes on two cores.
     */
    public static BenchProfile quick(Selection sel) {
        List<String> shapes = List.of("1x8x1024x64", "1x8x2048x64", "1x8x4096x64");
        Builder b = new Builder(sel);
        b.ours(shapes, List.of("false", "true"), sel.threads(), QUICK_JAVA);
        b.kernels(List.of("1x8x1024x64"), List.of("false"), List.of(Integer.toString(sel.maxThreads())), QUICK_JAVA);
        b.peer(ORT, shapes, List.of("false", "true"), sel.threads(), QUICK_NATIVE);
        // The contrib operator at all threads only: a second opinion on ONNX Runtime, not a second sweep.
        b.peer(ORT_MHA, shapes, List.of("false", "true"), List.of(Integer.toString(sel.maxThreads())), QUICK_NATIVE);
        b.peer(OPENBLAS, shapes, List.of("false", "true"), sel.threads(), QUICK_NATIVE);
        // A scalar loop needs seconds per call at seq 4096; seq 1024 shows the gap well enough.
        b.peer(SCALAR, List.of("1x8x1024x64"), List.of("false", "true"), sel.threads(), QUICK_JAVA);
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
        shapes.addAll(List.of("2x3x1000x80", "1x5x777x72", "4x2x129x48", "1x1x4099x128"));
        List<String> both = List.of("false", "true");
        Builder b = new Builder(sel);
        b.ours(shapes, both, sel.threads(), FULL_JAVA);
        b.kernels(List.of("1x8x512x64", "1x8x1024x64", "1x8x2048x64"), both,
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
        List<String> shapes = List.of("1x2x64x32", "1x2x200x64");
        List<String> both = List.of("false", "true");
        List<String> one = List.of(Integer.toString(sel.maxThreads()));
        Builder b = new Builder(sel);
        b.ours(shapes, both, one, SMOKE);
        b.kernels(List.of("1x2x64x32"), List.of("true"), one, SMOKE);
        for (String peer : PEERS) b.peer(peer, shapes, both, one, SMOKE);
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
            List<String> v = name.equals("shape")
                    ? values.stream().filter(s -> Shape.parse(s).seq() <= r.maxSeq()).toList() : List.copyOf(values);
            if (v.isEmpty()) continue;
            Map<String, List<String>> p = new LinkedHashMap<>(r.params());
            p.put(name, v);
            out.add(new Run(r.implementation(), r.benchmark(), p, r.timing(), r.setupSeconds(), r.maxSeq()));
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
            if (params.values().stream().noneMatch(List::isEmpty)) runs.add(new Run(impl, cls, params, t, setup, maxSeq));
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

        void kernels(List<String> shapes, List<String> causal, List<String> threads, Timing t) {
            for (List<String> group : byReference()) {
                int max = group.contains("reference") ? REFERENCE_MAX_SEQ : KERNEL_MAX_SEQ;
                run("paper kernels" + (group.contains("reference") ? " (reference)" : ""), AttentionBenchmark.class,
                        params("backend", group, "kernel", sel.paperKernels(), "shape", upTo(shapes, max), "causal", causal,
                                "threads", threads), t, KERNEL_SETUP, max);
            }
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
                default -> throw new IllegalArgumentException("unknown peer '" + peer + "'; known: " + PEERS);
            };
            p.putAll(params("shape", shapes, "causal", causal, "threads", threads));
            boolean scalar = peer.equals(SCALAR);
            run(peer, cls, p, t, scalar ? JAVA_SETUP : NATIVE_SETUP, scalar ? SCALAR_MAX_SEQ : Integer.MAX_VALUE);
        }
    }

    /** The largest thread count measured by default: every processor this JVM may use. */
    public static int defaultMaxThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
