/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's console output condensed to one line per configuration: position, elapsed time, an
 * estimate of the time left, what is measured, a dot per iteration, and the result in GFLOP/s. A
 * configuration whose setup or call throws (a failed reference check among them) is reported with
 * its exception's message and remembered, so the report can list what was not measured and why.
 */
final class ProgressOutput implements OutputFormat {
    private final PrintStream out;
    private final int total;
    private final double estimatedSeconds;
    private final long start = System.nanoTime();
    private final List<BenchHarness.Failure> failures = new ArrayList<>();
    private int index;
    private BenchmarkParams current;
    private boolean currentFailed;
    private final StringBuilder failureText = new StringBuilder();
    private int finished;

    ProgressOutput(PrintStream out, int total, double estimatedSeconds) {
        this.out = out;
        this.total = total;
        this.estimatedSeconds = estimatedSeconds;
    }

    List<BenchHarness.Failure> failures() {
        closeCurrent();
        return List.copyOf(failures);
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        closeCurrent();
        current = params;
        currentFailed = false;
        failureText.setLength(0);
        index++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        // Until something has finished, the plan's estimate; then the pace so far.
        double left = finished == 0 ? estimatedSeconds - elapsed : elapsed / finished * (total - finished);
        out.printf(Locale.ROOT, "[%3d/%d %s, ~%s left] %-36s", index, total, clock(elapsed), clock(Math.max(0, left)),
                describe(params));
        out.flush();
    }

    @Override
    public void iteration(BenchmarkParams bp, IterationParams ip, int n) {}

    @Override
    public void iterationResult(BenchmarkParams bp, IterationParams ip, int n, IterationResult r) {
        out.print('.');
        out.flush();
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (current == null) return;
        if (result != null && !result.getIterationResults().isEmpty() && !currentFailed) {
            double ms = result.getPrimaryResult().getScore();
            Shape s = Shape.parse(current.getParam("shape"));
            double gflops = s.flops(Boolean.parseBoolean(current.getParam("causal"))) / (ms * 1e6);
            out.printf(Locale.ROOT, " %9.2f ms %8.1f GFLOP/s%n", ms, gflops);
            finished++;
            current = null;
        }
    }

    /** Ends a configuration that endBenchmark did not report as measured. */
    private void closeCurrent() {
        if (current == null) return;
        String message = firstMeaningfulLine(failureText.toString());
        out.println(" FAILED: " + message);
        failures.add(new BenchHarness.Failure(implementation(current), Labels.kernel(params(current)), describeParams(current), message));
        finished++;
        current = null;
    }

    @Override
    public void startRun() {}

    @Override
    public void endRun(Collection<RunResult> results) {
        closeCurrent();
    }

    @Override
    public void print(String s) {
        capture(s);
    }

    @Override
    public void println(String s) {
        capture(s + "\n");
    }

    /** JMH reports a failure as "<failure>" followed by the stack trace; keep it for the message. */
    private void capture(String s) {
        if (current == null) return;
        if (s.contains("<failure>")) currentFailed = true;
        if (currentFailed) failureText.append(s);
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

    @Override
    public void verbosePrintln(String s) {}

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b) {}

    private static String firstMeaningfulLine(String text) {
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.isEmpty() || t.equals("<failure>") || t.startsWith("at ")) continue;
            return t.length() > 400 ? t.substring(0, 400) + "..." : t;
        }
        return "no result (see JMH's output with --verbose)";
    }

    private static Map<String, String> params(BenchmarkParams p) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.getParamsKeys()) m.put(k, p.getParam(k));
        return m;
    }

    private static String implementation(BenchmarkParams p) {
        return Labels.implementation(p.getBenchmark(), params(p));
    }

    /** "simd standard 1x8x1024x64 causal t2". */
    static String describe(BenchmarkParams p) {
        Map<String, String> m = params(p);
        String kernel = Labels.kernel(m);
        return implementation(p) + (kernel.equals("standard") ? "" : " " + kernel) + " " + m.get("shape")
                + (Boolean.parseBoolean(m.get("causal")) ? " causal" : "") + " t" + m.get("threads");
    }

    private static String describeParams(BenchmarkParams p) {
        return params(p).toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
