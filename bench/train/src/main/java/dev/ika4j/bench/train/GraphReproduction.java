/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Backends;
import dev.ika4j.bench.train.GraphExperiment.Job;
import dev.ika4j.bench.train.GraphExperiment.Variant;
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

/**
 * {@code ./ika reproduce graph}: GAT's node classification with its attention score against the
 * paper's kernels over the same neighbourhoods, on Zachary's karate club and a planted-partition
 * graph, written to {@code docs/reproduction-graph.md}.
 */
final class GraphReproduction {
    private GraphReproduction() {}

    static final String USAGE = """
            usage: ./ika reproduce graph [options]          (--backend NAME picks the backend; default simd)
              --quick              smoke test: 2 seeds, 30 epochs, written under bench/train/target/reproduction-quick/
              --seeds N            repeats per model (default 10; seeds 1000, 1001, ...: the split and the initial weights)
              --epochs N           full-batch epochs per run (default 200)
              --datasets LIST      comma-separated: karate,planted (default both)
              --variants LIST      comma-separated: gat,gat-kernel,standard,rbf-importance,ika-direct,no-edges (default all)
              --dropout R          dropout on both layers' inputs in training (default 0.6, GAT's)
              --threads N          runs trained at once (default: available processors)
              --out FILE           the report (default docs/reproduction-graph.md)
            """;

    static int run(String[] args) {
        boolean quick = false;
        Integer seeds = null, epochs = null;
        Double dropout = null;
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> datasets = GraphData.NAMES;
        List<Variant> variants = List.of(Variant.values());
        String out = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--seeds" -> seeds = ReproduceCommand.positive(a, ReproduceCommand.value(args, ++i, a));
                case "--epochs" -> epochs = ReproduceCommand.positive(a, ReproduceCommand.value(args, ++i, a));
                case "--threads" -> threads = ReproduceCommand.positive(a, ReproduceCommand.value(args, ++i, a));
                case "--dropout" -> {
                    String v = ReproduceCommand.value(args, ++i, a);
                    try {
                        dropout = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--dropout needs a number in [0, 1), got '" + v + "'");
                    }
                    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("--dropout needs a number in [0, 1), got '" + v + "'");
                }
                case "--datasets" -> {
                    datasets = Arrays.asList(ReproduceCommand.value(args, ++i, a).split(","));
                    for (String d : datasets) {
                        if (!GraphData.NAMES.contains(d)) {
                            throw new IllegalArgumentException("unknown graph data set '" + d + "'; known: " + GraphData.NAMES);
                        }
                    }
                }
                case "--variants" -> variants = Arrays.stream(ReproduceCommand.value(args, ++i, a).split(",")).map(Variant::parse).toList();
                case "--out" -> out = ReproduceCommand.value(args, ++i, a);
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        int nSeeds = seeds != null ? seeds : quick ? 2 : 10;
        int nEpochs = epochs != null ? epochs : quick ? 30 : 200;
        Path root = Path.of(dev.ika4j.api.Settings.ROOT.get("."));
        Path report = out != null ? Path.of(out)
                : quick ? root.resolve("bench/train/target/reproduction-quick/reproduction-graph.md") : root.resolve("docs/reproduction-graph.md");
        return reproduce(datasets, variants, nSeeds, nEpochs, dropout, threads, report, String.join(" ", args));
    }

    static int reproduce(List<String> datasets, List<Variant> variants, int nSeeds, int nEpochs, Double dropout, int threads,
                         Path report, String argLine) {
        String name = Backends.configuredName();
        if (name.equals("auto")) name = "simd";
        Map<String, GraphData> data = new LinkedHashMap<>();
        Map<String, GraphExperiment.Config> configs = new LinkedHashMap<>();
        for (String d : datasets) {
            GraphData g = GraphData.load(d);
            data.put(d, g);
            GraphExperiment.Config c = GraphExperiment.Config.defaults(g, nEpochs);
            configs.put(d, dropout == null ? c : c.withDropout(dropout));
        }
        List<Job> jobs = new ArrayList<>();
        for (String d : datasets)
            for (Variant v : variants)
                for (int s = 0; s < nSeeds; s++) jobs.add(new Job(d, v, GraphExperiment.FIRST_SEED + s));
        // one thread per run: the runs themselves are the parallelism
        try (AttentionBackend backend = Backends.open(name, BackendConfig.defaults().withThreads(1))) {
            AttentionTraining training = backend.training();
            System.out.printf(Locale.ROOT, "reproduce graph: %d runs (%s x %s x %d seeds x %d epochs) on '%s', %d at a time%n",
                    jobs.size(), datasets, variants.stream().map(v -> v.id).toList(), nSeeds, nEpochs, backend.name(), threads);
            long t0 = System.nanoTime();
            List<GraphReport.Run> results = runAll(jobs, data, configs, training, threads, t0);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = results.stream().mapToDouble(r -> r.history().cpuSeconds()).sum();
            String base = report.getFileName().toString().replaceFirst("\\.md$", "");
            Path csv = report.toAbsolutePath().getParent().resolve(base).resolve("runs.csv");
            Files.createDirectories(csv.getParent());
            Files.writeString(csv, GraphReport.csv(results));
            String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", JDK "
                    + Runtime.version();
            GraphReport.Context ctx = new GraphReport.Context("./ika reproduce " + argLine, backend.name(), machine, threads, nEpochs,
                    nSeeds, wall, cpu, LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), base + "/runs.csv");
            Files.writeString(report, GraphReport.markdown(results, data, configs, variants, ctx));
            System.out.printf(Locale.ROOT, "reproduce graph: done in %.1f min (%.1f min of CPU time); wrote %s%n", wall / 60, cpu / 60, report);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<GraphReport.Run> runAll(List<Job> jobs, Map<String, GraphData> data, Map<String, GraphExperiment.Config> configs,
                                                AttentionTraining training, int threads, long t0) {
        AtomicInteger done = new AtomicInteger();
        List<GraphReport.Run> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reproduce-graph");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> {
                    GraphExperiment.History h = GraphExperiment.run(job, data.get(job.dataset()), configs.get(job.dataset()), training, null);
                    results.add(new GraphReport.Run(job, h));
                    System.out.printf(Locale.ROOT, "[%d/%d] %s: validation picks epoch %d (validation %.3f), test %.3f; last epoch test"
                                    + " %.3f; %.1f s (%.1f s CPU) (elapsed %.1f min)%n", done.incrementAndGet(), jobs.size(), job,
                            h.selectedEpoch() + 1, h.selectedValidationAccuracy(), h.selectedTestAccuracy(), h.finalTestAccuracy(),
                            h.seconds(), h.cpuSeconds(), (System.nanoTime() - t0) / 60e9);
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
        List<GraphReport.Run> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((GraphReport.Run r) -> r.job().dataset()).thenComparing(r -> r.job().variant())
                .thenComparingLong(r -> r.job().seed()));
        return sorted;
    }
}
