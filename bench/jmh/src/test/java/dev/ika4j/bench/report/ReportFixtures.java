/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JMH JSON entries written the way JMH writes them, with chosen times. */
final class ReportFixtures {
    private ReportFixtures() {}

    static final String ATTENTION = "dev.ika4j.bench.jmh.AttentionBenchmark.attention";
    static final String ORT = "dev.ika4j.bench.jmh.OnnxRuntimeBenchmark.attention";
    static final String BLAS = "dev.ika4j.bench.jmh.OpenBlasBenchmark.attention";

    /** One JMH result: params as given, forks x iterations of ms/op. */
    static Map<String, Object> entry(String benchmark, Map<String, String> params, double[][] forksMillis) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("jmhVersion", "1.37");
        e.put("benchmark", benchmark);
        e.put("mode", "avgt");
        e.put("threads", 1);
        e.put("forks", forksMillis.length);
        e.put("params", params);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("score", forksMillis[0][0]);
        metric.put("scoreError", "NaN");
        metric.put("scoreUnit", "ms/op");
        List<Object> raw = new ArrayList<>();
        for (double[] f : forksMillis) {
            List<Object> it = new ArrayList<>();
            for (double x : f) it.add(x);
            raw.add(it);
        }
        metric.put("rawData", raw);
        e.put("primaryMetric", metric);
        e.put("secondaryMetrics", Map.of());
        return e;
    }

    static Map<String, String> ours(String backend, String kernel, String shape, boolean causal, int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("backend", backend);
        p.put("causal", Boolean.toString(causal));
        p.put("kernel", kernel);
        p.put("shape", shape);
        p.put("threads", Integer.toString(threads));
        return p;
    }

    static Map<String, String> peer(String op, String shape, boolean causal, int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("causal", Boolean.toString(causal));
        if (op != null) p.put("op", op);
        p.put("shape", shape);
        p.put("threads", Integer.toString(threads));
        return p;
    }

    static RunInfo info(List<Map<String, String>> failures) {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cpu", "Test CPU");
        machine.put("cores", "2 logical processors");
        machine.put("simd", "avx512f");
        machine.put("vector", "512-bit vectors");
        machine.put("jdk", "JDK 25");
        return new RunInfo("quick", "2026-01-01T00:00:00Z", 321, "quick profile, 1 fork(s)", machine,
                Map.of("onnxruntime", "ONNX Runtime 1.29.0"), failures);
    }
}
