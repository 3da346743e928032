/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.bench.train.RegressionExperiment.Job;
import dev.ika4j.bench.train.RegressionExperiment.Runs;
import dev.ika4j.bench.train.RegressionExperiment.Variant;
import dev.ika4j.bench.train.ReproductionReport.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./ika reproduce regression}: the paper's regression experiment (the authors' protocol),
 * trained on the CPU (or the backend named with --backend for the forward pass), written to
 * {@code docs/reproduction.md} with a PNG of the fits.
 */
public final class ReproduceCommand {
    private ReproduceCommand() {}

    /** Entry point of {@code ./ika reproduce}: runs on this module's class path, apart from the CLI's. */
    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args);
        } catch (IllegalArgumentException | dev.ika4j.api.BackendUnavailableException e) {
            System.err.println("ika reproduce: " + e.getMessage());
            rc = 2;
        }
        System.exit(rc);
    }

    static final String USAGE = """
            usage: ./ika reproduce regression [options]     (--backend NAME picks the forward pass's backend; default simd)
                   ./ika reproduce graph [options]          node classification with graph attention (its options: ./ika reproduce graph --help)
              --quick              smoke test: 2 seeds, 100 epochs, written under bench/train/target/reproduction-quick/
              --seeds N            repeats per model (default 10; seeds 1000, 1001, ...)
              --epochs N           full-batch epochs per run (default 1000)
              --datasets LIST      comma-separated: airline,co2,housing (default all)
              --variants LIST      comma-separated: standard,ika-direct,mikan,ika-generator (default all)
              --runs MODE          separate (default): the authors' number (best test RMSE over epochs) from runs on all
                                   90 % training rows, as they ran it, the honest one (validation picks the epoch) from runs
                                   that hold out 10 % of them for validation; shared: both numbers from the second kind
                                   only (half the time, but the authors' column then trains on 81 % of the rows)
              --threads N          runs trained at once (default: available processors)
              --out FILE           the report (default docs/reproduction.md); plots go to a folder beside it
            """;

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("graph")) return GraphReproduction.run(args);
        if (!args[0].equals("regression")) {
            throw new IllegalArgumentException("unknown experiment '" + args[0] + "'; known: regression, graph");
        }
        boolean quick = false;
        Integer seeds = null, epochs = null;
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> datasets = RegressionData.NAMES;
        List<Variant> variants = List.of(Variant.values());
        Runs mode = Runs.SEPARATE;
        String out = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--seeds" -> seeds = positive(a, value(args, ++i, a));
                case "--epochs" -> epochs = positive(a, value(args, ++i, a));
                case "--threads" -> threads = positive(a, value(args, ++i, a));
                case "--datasets" -> {
                    datasets = Arrays.asList(value(args, ++i, a).split(","));
                    for (String d : datasets) RegressionExperiment.setting(d, Variant.STANDARD);
                }
                case "--variants" -> variants = Arrays.stream(value(args, ++i, a).split(",")).map(Variant::parse).toList();
                case "--runs" -> {
                    String m = value(args, ++i, a);
                    mode = switch (m) {
                        case "shared" -> Runs.SHARED;
                        case "separate" -> Runs.SEPARATE;
                        default -> throw new IllegalArgumentException("--runs takes shared or separate, got '" + m + "'");
                    };
                }
                case "--out" -> out = value(args, ++i, a);
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        int nSeeds = seeds != null ? seeds : quick ? 2 : 10;
        int nEpochs = epochs != null ? epochs : quick ? 100 : 1000;
        Path root = Path.of(dev.ika4j.api.Settings.ROOT.get("."));
        Path report = out != null ? Path.of(out)
                : quick ? root.resolve("bench/train/target/reproduction-quick/reproduction.md") : root.resolve("docs/reproduction.md");
        return reproduce(datasets, variants, mode, nSeeds, nEpochs, threads, report, String.join(" ", args));
    }

    static String value(String[] args, int i, String opt) {
        if (i >= args.length) throw new IllegalArgumentException(opt + " needs a value");
        return args[i];
    }

    static int positive(String opt, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a positive integer, got '" + v + "'");
        }
    }

    static int reproduce(List<String> datasets, List<Variant> variants, Runs mode, int nSeeds, int nEpochs,
                         int threads, Path report, String argLine) {
        String name = Backends.configuredName();
        if (name.equals("auto")) name = "simd";
        Map<String, RegressionData> data = new LinkedHashMap<>();
        for (String d : datasets) data.put(d, RegressionData.load(d));
        List<Job> jobs = new ArrayList<>();
        for (String d : datasets)
            for (Variant v : variants)
                for (int s = 0; s < nSeeds; s++) {
                    long seed = RegressionExperiment.FIRST_SEED + s;
                    jobs.add(new Job(RegressionExperiment.setting(d, v), seed, true));
                    if (mode == Runs.SEPARATE) jobs.add(new Job(RegressionExperiment.setting(d, v), seed, false));
                }
        // longest first (sequence length squared, spectral kernels ~ 8x standard), so the last runs are short ones
        jobs.sort(Comparator.comparingDouble((Job j) -> -cost(j, data.get(j.setting().dataset()))));
        Trainer.Config config = new Trainer.Config(nEpochs, 0.01, 1000.0);
        // one thread per run: the runs themselves are the parallelism
        try (AttentionBackend opened = Backends.open(name, BackendConfig.defaults().withThreads(1));
             AttentionBackend fallback = hasTraining(opened) ? null : Backends.open("simd", BackendConfig.defaults().withThreads(1))) {
            AttentionBackend backend = fallback == null ? opened : fallback;
            AttentionTraining training = backend.training();
            String trainedOn = backend == opened ? backend.name()
                    : backend.name() + " (backend '" + opened.name() + "' has no backward pass)";
            System.out.printf(Locale.ROOT, "reproduce regression: %d runs (%s x %s x %s x %d seeds x %d epochs), on '%s' (its"
                    + " training path: recorded forward, then backward), %d at a time%n", jobs.size(), datasets,
                    variants.stream().map(v -> v.id).toList(), mode.id() + " runs", nSeeds, nEpochs, trainedOn, threads);
            String forwardName = trainedOn, backwardName = trainedOn;
            long t0 = System.nanoTime();
            List<RunResult> results = runAll(jobs, data, config, training, threads, t0);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = results.stream().mapToDouble(r -> r.history().cpuSeconds()).sum();
            Map<String, String> plots = plots(results, data, report);
            String base = report.getFileName().toString().replaceFirst("\\.md$", "");
            Path csv = report.toAbsolutePath().getParent().resolve(base).resolve("runs.csv");
            Files.createDirectories(csv.getParent());
            Files.writeString(csv, ReproductionReport.csv(results));
            String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", JDK "
                    + Runtime.version();
            ReproductionReport.Context ctx = new ReproductionReport.Context("./ika reproduce " + argLine, forwardName, backwardName,
                    machine, threads, nEpochs, nSeeds, wall, cpu, LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                    plots, base + "/runs.csv");
            String md = ReproductionReport.markdown(results, datasets, variants, mode, ctx);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, md);
            System.out.printf(Locale.ROOT, "reproduce regression: done in %.1f min (%.1f min of CPU time); wrote %s%n", wall / 60,
                    cpu / 60, report);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Work per epoch, roughly: the dense layers grow with n, attention with n^2 (the spectral kernels about 8x standard). */
    static double cost(Job j, RegressionData d) {
        double n = d.rows();
        return n * 1500 + n * n * (j.setting().variant() == Variant.STANDARD ? 1 : 8);
    }

    private static boolean hasTraining(AttentionBackend backend) {
        try {
            backend.training();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static List<RunResult> runAll(List<Job> jobs, Map<String, RegressionData> data, Trainer.Config config,
                                          AttentionTraining training, int threads, long t0) {
        AtomicInteger done = new AtomicInteger();
        // progress in units of estimated work (epochs times the job's cost per epoch), so that the
        // estimate of the time left does not suffer from the expensive runs going first
        java.util.concurrent.atomic.DoubleAdder workDone = new java.util.concurrent.atomic.DoubleAdder();
        double workTotal = jobs.stream().mapToDouble(j -> cost(j, data.get(j.setting().dataset()))).sum() * config.epochs();
        AtomicLong lastBeat = new AtomicLong(System.nanoTime());
        List<RunResult> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reproduce");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> {
                    double unit = cost(job, data.get(job.setting().dataset()));
                    Trainer.History h = RegressionExperiment.run(job, data.get(job.setting().dataset()), config, training,
                            (e, total) -> {
                                workDone.add(unit);
                                heartbeat(workDone.sum() / workTotal, done.get(), jobs.size(), lastBeat, t0);
                            });
                    results.add(new RunResult(job, h));
                    int n = done.incrementAndGet();
                    double elapsed = (System.nanoTime() - t0) / 1e9, frac = workDone.sum() / workTotal;
                    String sel = String.format(Locale.ROOT, "best test %.4f at epoch %d", h.bestTestRmse(), h.bestTestEpoch() + 1)
                            + (job.validation() ? String.format(Locale.ROOT, "; validation picks epoch %d: test %.4f",
                                    h.selectedEpoch() + 1, h.selectedTestRmse()) : "");
                    System.out.printf(Locale.ROOT, "[%d/%d] %s: %s, last %.4f, %.1f s (%.1f s CPU) (elapsed %.1f min, about %.1f min left)%n",
                            n, jobs.size(), job, sel, h.finalTestRmse(), h.seconds(), h.cpuSeconds(), elapsed / 60,
                            elapsed / 60 * (1 - frac) / frac);
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a training run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((RunResult r) -> r.job().setting().dataset()).thenComparing(r -> r.job().setting().variant())
                .thenComparing(r -> r.job().validation()).thenComparingLong(r -> r.job().seed()));
        return sorted;
    }

    /** Prints overall progress at most every 30 s, so long runs show they are alive. */
    private static void heartbeat(double frac, int runsDone, int runs, AtomicLong last, long t0) {
        long now = System.nanoTime(), prev = last.get();
        if (now - prev < 30_000_000_000L || !last.compareAndSet(prev, now)) return;
        double elapsed = (now - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  ... %.1f %% of the work, %d/%d runs done, %.1f min elapsed, about %.1f min left%n",
                100 * frac, runsDone, runs, elapsed / 60, elapsed / 60 * (1 - frac) / frac);
    }

    /** One PNG per data set: the first seed of every variant, at the epoch validation picked. */
    private static Map<String, String> plots(List<RunResult> results, Map<String, RegressionData> data, Path report) {
        Map<String, String> links = new LinkedHashMap<>();
        String base = report.getFileName().toString().replaceFirst("\\.md$", "");
        Path dir = report.toAbsolutePath().getParent().resolve(base);
        for (Map.Entry<String, RegressionData> e : data.entrySet()) {
            List<FitPlot.Panel> panels = new ArrayList<>();
            for (Variant v : Variant.values()) {
                for (RunResult r : results) {
                    if (!r.job().setting().dataset().equals(e.getKey()) || r.job().setting().variant() != v
                            || r.job().seed() != RegressionExperiment.FIRST_SEED || !r.job().validation()) continue;
                    Split split = RegressionExperiment.split(e.getValue(), r.job());
                    Trainer.History h = r.history();
                    String title = String.format(Locale.ROOT, "%s, seed %d: test RMSE %.4f at epoch %d (picked by validation)",
                            v.label, r.job().seed(), h.selectedTestRmse(), h.selectedEpoch() + 1);
                    panels.add(new FitPlot.Panel(title, h.selectedFit(), split.test(), split.train()));
                }
            }
            if (panels.isEmpty()) continue;
            Path png = dir.resolve(e.getKey() + ".png");
            FitPlot.write(png, e.getValue(), panels);
            links.put(e.getKey(), base + "/" + e.getKey() + ".png");
        }
        return links;
    }
}
