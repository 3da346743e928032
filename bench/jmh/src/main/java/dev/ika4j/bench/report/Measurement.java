/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.report;

import dev.ika4j.bench.jmh.Labels;
import dev.ika4j.bench.jmh.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark configuration's result, read back from JMH's JSON: who ran what, and the time per
 * call of each fork (the mean of its measured iterations) and of each iteration.
 *
 * @param forkMillis      per fork, milliseconds per call
 * @param iterationMillis every measured iteration of every fork, milliseconds per call
 */
public record Measurement(String implementation, String kernel, Shape shape, boolean causal, int threads,
                          double[] forkMillis, double[] iterationMillis) {

    /** Minimum, median and maximum. */
    public record Spread(double min, double median, double max) {}

    /** Reads every result of a JMH JSON file (time-per-call modes only). */
    public static List<Measurement> load(Path jmhJson) throws IOException {
        Object root = Json.parse(Files.readString(jmhJson));
        List<Measurement> out = new ArrayList<>();
        if (!(root instanceof List<?> entries)) throw new IOException(jmhJson + " is not a JMH JSON result array");
        for (Object o : entries) {
            Map<?, ?> e = (Map<?, ?>) o;
            Map<String, String> params = new LinkedHashMap<>();
            if (e.get("params") instanceof Map<?, ?> p) p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            Map<?, ?> metric = (Map<?, ?>) e.get("primaryMetric");
            double toMillis = millisPer(String.valueOf(metric.get("scoreUnit")));
            List<?> raw = (List<?>) metric.get("rawData");
            double[] forks = new double[raw.size()];
            List<Double> iters = new ArrayList<>();
            for (int f = 0; f < raw.size(); f++) {
                List<?> fork = (List<?>) raw.get(f);
                double sum = 0;
                for (Object x : fork) {
                    double ms = ((Number) x).doubleValue() * toMillis;
                    iters.add(ms);
                    sum += ms;
                }
                forks[f] = sum / fork.size();
            }
            String benchmark = String.valueOf(e.get("benchmark"));
            out.add(new Measurement(Labels.implementation(benchmark, params), Labels.kernel(params),
                    Shape.parse(params.get("shape")), Boolean.parseBoolean(params.get("causal")),
                    Integer.parseInt(params.getOrDefault("threads", "1")), forks,
                    iters.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    private static double millisPer(String unit) {
        return switch (unit) {
            case "ms/op" -> 1;
            case "s/op" -> 1e3;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException("unsupported JMH score unit '" + unit + "' (need a time per op)");
        };
    }

    /** The spread is over forks when there are several, else over the one fork's iterations. */
    public boolean spreadOverForks() {
        return forkMillis.length > 1;
    }

    /** Milliseconds per call: min, median, max. */
    public Spread millis() {
        return spread(spreadOverForks() ? forkMillis : iterationMillis);
    }

    /** GFLOP/s from {@link Shape#flops}: min, median, max (the minimum comes from the slowest time). */
    public Spread gflops() {
        Spread t = millis();
        double f = shape.flops(causal) / 1e6;
        return new Spread(f / t.max(), f / t.median(), f / t.min());
    }

    static Spread spread(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(v[0], median, v[n - 1]);
    }

    /** The row a result belongs to in the tables: everything but the implementation. */
    public String rowKey() {
        return kernel + "|" + shape + "|" + causal + "|" + threads;
    }
}
