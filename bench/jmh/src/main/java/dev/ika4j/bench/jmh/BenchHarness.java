/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a {@link BenchProfile} through JMH's Runner API, in this JVM's class path: JMH passes
 * java.class.path to its forks, and the benchmark classes carry the Vector API and native-access
 * flags in their {@code @Fork} annotations.
 */
public final class BenchHarness {
    /** What a run produced. */
    public record Outcome(List<RunResult> results, List<Failure> failures, double seconds) {}

    /** A configuration that produced no number, with the reason. */
    public record Failure(String implementation, String kernel, String params, String message) {}

    private BenchHarness() {}

    /**
     * @param verbose JMH's own full output instead of one line per configuration
     */
    public static Outcome run(BenchProfile profile, PrintStream console, boolean verbose) throws RunnerException {
        long start = System.nanoTime();
        ProgressOutput progress = new ProgressOutput(console, profile.configurations(), profile.estimatedSeconds());
        List<RunResult> results = new ArrayList<>();
        for (BenchProfile.Run run : profile.runs()) {
            ChainedOptionsBuilder o = new OptionsBuilder()
                    .include("^" + Pattern.quote(run.benchmark().getName()) + "\\.")
                    .forks(profile.forks())
                    .warmupIterations(run.timing().warmupIterations())
                    .warmupTime(millis(run.timing().warmupSeconds()))
                    .measurementIterations(run.timing().measureIterations())
                    .measurementTime(millis(run.timing().measureSeconds()))
                    .shouldFailOnError(false);
            for (Map.Entry<String, List<String>> e : run.params().entrySet()) {
                o.param(e.getKey(), e.getValue().toArray(String[]::new));
            }
            if (verbose) {
                results.addAll(new Runner(o.verbosity(VerboseMode.NORMAL).build()).run());
            } else {
                results.addAll(new Runner(o.build(), progress).run());
            }
        }
        return new Outcome(results, progress.failures(), (System.nanoTime() - start) / 1e9);
    }

    private static TimeValue millis(double seconds) {
        return TimeValue.milliseconds(Math.max(1, Math.round(seconds * 1000)));
    }
}
