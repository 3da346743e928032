/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.util.Map;

/** Names the implementation and kernel a JMH result belongs to, from its benchmark and parameters. */
public final class Labels {
    private Labels() {}

    /** Our backend's registry name, or the peer's name. */
    public static String implementation(String benchmark, Map<String, String> params) {
        String cls = simpleClass(benchmark);
        return switch (cls) {
            case "AttentionBenchmark" -> {
                String bits = params.getOrDefault("vectorBits", AttentionBenchmark.PREFERRED);
                String backend = params.getOrDefault("backend", "?");
                yield bits.equals(AttentionBenchmark.PREFERRED) ? backend : backend + "-" + bits;
            }
            case "StreamReadBenchmark" -> BenchProfile.STREAM;
            case "OnnxRuntimeBenchmark" -> "MultiHeadAttention".equals(params.get("op")) ? BenchProfile.ORT_MHA : BenchProfile.ORT;
            case "OpenBlasBenchmark" -> BenchProfile.OPENBLAS;
            case "ScalarJavaBenchmark" -> BenchProfile.SCALAR;
            default -> cls;
        };
    }

    /** True for the outside peers, false for our backends. */
    public static boolean isPeer(String implementation) {
        return BenchProfile.PEERS.contains(implementation);
    }

    public static String kernel(Map<String, String> params) {
        return params.getOrDefault("kernel", "standard");
    }

    /** "dev.x.y.Foo.method" to "Foo". */
    static String simpleClass(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
    }
}
