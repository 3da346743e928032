/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench;

import dev.ika4j.api.Backends;
import dev.ika4j.bench.jmh.BenchHarness;
import dev.ika4j.bench.jmh.BenchProfile;
import dev.ika4j.bench.jmh.Kernels;
import dev.ika4j.bench.jmh.Peers;
import dev.ika4j.bench.jmh.Shape;
import dev.ika4j.bench.report.GflopsChart;
import dev.ika4j.bench.report.MachineInfo;
import dev.ika4j.bench.report.MarkdownReport;
import dev.ika4j.bench.report.Measurement;
import dev.ika4j.bench.report.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.RunnerException;

/**
 * {@code ./ika bench}: JMH benchmarks of our backends and the peers on the same inputs, written to
 * docs/benchmarks as JMH JSON, a Markdown table and PNG charts. See docs/benchmarks/README.md.
 */
public final class BenchCommand {
    private BenchCommand() {}

    /** Entry point of {@code ./ika bench}: runs on this module's class path, apart from the CLI's. */
    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args);
        } catch (IllegalArgumentException | dev.ika4j.api.BackendUnavailableException e) {
            System.err.println("ika bench: " + e.getMessage());
            rc = 2;
        }
        System.exit(rc);
    }

    private static final String USAGE = """
            usage: ./ika bench [--full | --smoke] [options]
              (default)          quick profile: standard attention at seq 128-4096 (head dims 64 and 128, batch > 1,
                                 grouped-query heads), causal and not, 1 and all threads, also at 256-bit vectors,
                                 against both ONNX Runtime operators; decoding against a plain read of the same
                                 bytes; the paper's kernels at seq 1024 and 4096; one fork; about 15 minutes
              --full             every seq in {128..4096}, head dims 64 and 128, odd shapes, three forks (2-3 hours)
              --smoke            tiny shapes, one short iteration: checks the harness, numbers mean nothing
              --out DIR          where to write (default bench/target/benchmarks; the committed
                                 figures are made with --out docs/benchmarks)
              --name NAME        file name prefix (default: the profile's name)
              --backends A,B     our backends to measure (default: every available one but reference)
              --kernels A,B      paper kernels to measure, or none (default: all of them)
              --peers A,B        peers, or none (default: all that load here): %s
              --shapes S,...     replace the profile's shapes, BATCHxHEADS[/KV_HEADS]xSEQ[:KV_SEQ]xDIM
              --threads N,...    replace the profile's thread counts
              --forks N          replace the profile's fork count
              --list             print the plan and its estimated time, run nothing
              --verbose          JMH's own output instead of one line per configuration (failures then
                                 show there only, not in the report's "Not measured" list)
              --report FILE      redraw tables and charts from an earlier run's *-jmh.json, run nothing
            """.formatted(String.join(",", BenchProfile.PEERS));

    static int run(String[] args) {
        Options o = Options.parse(args);
        if (o.help) {
            System.out.print(USAGE);
            return 0;
        }
        try {
            if (o.report != null) return report(Path.of(o.report), o.out);
            return measure(o);
        } catch (IOException e) {
            System.err.println("ika bench: " + e);
            return 1;
        } catch (RunnerException e) {
            System.err.println("ika bench: JMH failed: " + e.getMessage());
            return 1;
        }
    }

    private static int measure(Options o) throws IOException, RunnerException {
        Map<String, String> machine = MachineInfo.collect();
        List<String> backends = backends(o.backends);
        Map<String, Peers.Status> peerStatus = Peers.probe();
        List<String> peers = new ArrayList<>();
        Map<String, String> peerInfo = new LinkedHashMap<>();
        for (String p : o.peers == null ? BenchProfile.PEERS : o.peers) {
            Peers.Status s = peerStatus.get(p);
            if (s == null) throw new IllegalArgumentException("unknown peer '" + p + "'; known: " + BenchProfile.PEERS);
            peerInfo.put(p, s.detail());
            if (s.available()) peers.add(p);
            else System.out.println("ika bench: leaving out " + p + ": " + s.detail());
        }
        List<String> kernels = o.kernels == null ? Kernels.paperKernels() : o.kernels;
        kernels.forEach(Kernels::get);
        BenchProfile.Selection sel = new BenchProfile.Selection(backends, kernels, peers, BenchProfile.defaultMaxThreads());
        BenchProfile profile = switch (o.profile) {
            case "full" -> BenchProfile.full(sel);
            case "smoke" -> BenchProfile.smoke(sel);
            default -> BenchProfile.quick(sel);
        };
        if (o.shapes != null) {
            o.shapes.forEach(dev.ika4j.bench.jmh.Shape::parse);
            profile = profile.withParam("shape", o.shapes);
        }
        if (o.threads != null) profile = profile.withParam("threads", o.threads);
        if (o.forks > 0) profile = profile.withForks(o.forks);

        System.out.println("Machine: " + MachineInfo.oneLine(machine));
        System.out.printf(Locale.ROOT, "Plan: %s profile, %d configurations x %d fork(s), about %.1f min on an idle machine%n",
                profile.name(), profile.configurations(), profile.forks(), profile.estimatedSeconds() / 60);
        for (BenchProfile.Run r : profile.runs()) {
            System.out.printf(Locale.ROOT, "  %-22s %3d configurations  %s%n", r.implementation(), r.configurations(), r.params());
        }
        if (o.list) return 0;
        if (profile.configurations() == 0) {
            System.err.println("ika bench: nothing to measure");
            return 2;
        }

        String name = o.name != null ? o.name : profile.name();
        Path out = outputDir(o.out);
        String date = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        BenchHarness.Outcome outcome = BenchHarness.run(profile, System.out, o.verbose);

        Path json = out.resolve(name + "-jmh.json");
        ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(outcome.results());
        List<Map<String, String>> failures = new ArrayList<>();
        for (BenchHarness.Failure f : outcome.failures()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("implementation", f.implementation());
            m.put("kernel", f.kernel());
            m.put("params", f.params());
            m.put("message", f.message());
            failures.add(m);
        }
        RunInfo info = new RunInfo(profile.name(), date, outcome.seconds(), describe(profile), machine, peerInfo, failures,
                o.command);
        info.write(runFile(json));
        int rc = report(json, null);
        if (!failures.isEmpty()) {
            System.out.println("ika bench: " + failures.size() + " configuration(s) produced no number; see 'Not measured'");
            return 1;
        }
        return rc;
    }

    /** Writes the Markdown and charts for a JMH JSON file next to it (or into {@code outDir}). */
    private static int report(Path json, String outDir) throws IOException {
        if (!Files.isRegularFile(json)) throw new IllegalArgumentException("no such JMH result file: " + json);
        String base = json.getFileName().toString().replaceFirst("-jmh\\.json$", "").replaceFirst("\\.json$", "");
        Path dir = outDir != null ? outputDir(outDir) : json.toAbsolutePath().getParent();
        Path runFile = runFile(json);
        RunInfo info = Files.isRegularFile(runFile) ? RunInfo.read(runFile)
                : new RunInfo(base, "unknown date", 0, "unknown (no " + runFile.getFileName() + ")", MachineInfo.collect(),
                        Map.of(), List.of());
        List<Measurement> ms = Measurement.load(json);
        List<String> charts = GflopsChart.write(ms, dir, base,
                MachineInfo.brief(info.machine()) + "; " + info.profile() + " profile, " + info.date());
        MarkdownReport md = new MarkdownReport(ms, info, charts);
        Path doc = dir.resolve(base + ".md");
        String jsonLink = dir.equals(json.toAbsolutePath().getParent()) ? json.getFileName().toString() : json.toAbsolutePath().toString();
        Files.writeString(doc, md.document(jsonLink));
        System.out.println();
        System.out.print(md.console());
        System.out.println("Wrote " + doc + (charts.isEmpty() ? "" : ", " + String.join(", ", charts)) + " and " + json.getFileName());
        return 0;
    }

    private static Path runFile(Path json) {
        String n = json.getFileName().toString();
        return json.resolveSibling(n.endsWith("-jmh.json") ? n.replaceFirst("-jmh\\.json$", "-run.json") : n + ".run.json");
    }

    private static Path outputDir(String out) throws IOException {
        // A user's run goes under bench/target, so it never overwrites the committed figures in
        // docs/benchmarks (made with --out docs/benchmarks).
        Path dir = out != null ? Path.of(out) : Path.of(dev.ika4j.api.Settings.ROOT.get("."), "bench", "target", "benchmarks");
        Files.createDirectories(dir);
        return dir;
    }

    /** The reason up to its first ';', for a one-line note ({@code ./ika backends} shows it whole). */
    private static String firstClause(String reason) {
        int i = reason.indexOf(';');
        return i < 0 ? reason : reason.substring(0, i) + "; ...";
    }

    /** Requested backends must be available; by default every available one except the slow reference. */
    private static List<String> backends(List<String> requested) {
        List<String> out = new ArrayList<>();
        for (Backends.Status s : Backends.list()) {
            boolean wanted = requested == null ? !s.name().equals("reference") : requested.contains(s.name());
            if (!wanted) continue;
            if (s.available()) out.add(s.name());
            else System.out.println("ika bench: leaving out backend " + s.name() + ": " + firstClause(s.reason()));
        }
        if (requested != null) {
            Set<String> known = new LinkedHashSet<>();
            Backends.list().forEach(s -> known.add(s.name()));
            for (String r : requested) {
                if (!known.contains(r)) throw new IllegalArgumentException("unknown backend '" + r + "'; known: " + known);
            }
        }
        return out;
    }

    /** "quick profile, 1 fork(s) per configuration; simd, scalar-java: 2 x 1 s warm-up, 3 x 1 s measured; ...". */
    private static String describe(BenchProfile p) {
        Map<BenchProfile.Timing, Set<String>> byTiming = new LinkedHashMap<>();
        for (BenchProfile.Run r : p.runs()) byTiming.computeIfAbsent(r.timing(), t -> new LinkedHashSet<>()).add(r.implementation());
        List<String> parts = new ArrayList<>();
        byTiming.forEach((t, who) -> parts.add(String.format(Locale.ROOT, "%s: %d x %s s warm-up, %d x %s s measured",
                String.join(", ", who), t.warmupIterations(), trim(t.warmupSeconds()), t.measureIterations(),
                trim(t.measureSeconds()))));
        return p.name() + " profile, " + p.forks() + " fork(s) per configuration; " + String.join("; ", parts)
                + "; Java implementations also run a small problem for about 1 s in setup so that C2 compiles them"
                + "; every configuration is checked against the float64 reference in setup";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The parsed command line. */
    private static final class Options {
        String profile = "quick", out, name, report, command;
        List<String> backends, kernels, peers, shapes, threads;
        int forks;
        boolean list, verbose, help;

        static Options parse(String[] args) {
            Options o = new Options();
            o.command = ("./ika bench " + String.join(" ", args)).trim();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--full" -> o.profile = "full";
                    case "--smoke" -> o.profile = "smoke";
                    case "--quick" -> o.profile = "quick";
                    case "--list" -> o.list = true;
                    case "--verbose" -> o.verbose = true;
                    case "-h", "--help" -> o.help = true;
                    case "--out" -> o.out = value(args, ++i, a);
                    case "--name" -> o.name = value(args, ++i, a);
                    case "--report" -> o.report = value(args, ++i, a);
                    case "--backends" -> o.backends = list(value(args, ++i, a));
                    case "--kernels" -> o.kernels = list(value(args, ++i, a));
                    case "--peers" -> o.peers = list(value(args, ++i, a));
                    case "--shapes" -> o.shapes = list(value(args, ++i, a));
                    case "--threads" -> {
                        o.threads = list(value(args, ++i, a));
                        for (String t : o.threads) positive(t, a);
                    }
                    case "--forks" -> o.forks = positive(value(args, ++i, a), a);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }

        private static List<String> list(String v) {
            if (v.equals("none")) return List.of();
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        private static int positive(String v, String option) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException(option + " needs a positive integer, got '" + v + "'");
        }
    }
}
