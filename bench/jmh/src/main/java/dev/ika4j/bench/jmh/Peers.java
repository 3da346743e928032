/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Whether each peer can run on this machine, and its version, found by loading it once in the
 * launcher's JVM: a peer that cannot load here (OpenBLAS ships linux-x86_64 natives only) is left
 * out of the plan with its reason instead of failing every configuration.
 */
public final class Peers {
    /** A peer's verdict: version when available, else why not. */
    public record Status(String name, boolean available, String detail) {}

    private Peers() {}

    public static Map<String, Status> probe() {
        Map<String, Status> out = new LinkedHashMap<>();
        Status ort = probeOnnxRuntime();
        out.put(BenchProfile.ORT, ort);
        out.put(BenchProfile.ORT_MHA, new Status(BenchProfile.ORT_MHA, ort.available(), ort.detail()));
        out.put(BenchProfile.OPENBLAS, probeOpenBlas());
        out.put(BenchProfile.SCALAR, new Status(BenchProfile.SCALAR, true,
                "plain Java loops on " + System.getProperty("java.vm.name") + " " + Runtime.version()));
        out.put(BenchProfile.STREAM, new Status(BenchProfile.STREAM, true,
                "a plain vectorised read of the K and V bytes, same threads (the decoding bandwidth bound)"));
        return out;
    }

    private static Status probeOnnxRuntime() {
        try {
            // The benchmark forks open the environment at ERROR level; the same here keeps ORT quiet.
            String v = ai.onnxruntime.OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR)
                    .getVersion();
            return new Status(BenchProfile.ORT, true, "ONNX Runtime " + v + " (Java, CPU execution provider)");
        } catch (Throwable t) {
            return new Status(BenchProfile.ORT, false, "ONNX Runtime does not load here: " + t);
        }
    }

    private static Status probeOpenBlas() {
        String version = mavenVersion("org.bytedeco", "openblas");
        try {
            Class.forName("org.bytedeco.openblas.global.openblas_nolapack", true, Peers.class.getClassLoader());
            return new Status(BenchProfile.OPENBLAS, true, "OpenBLAS " + version + " via JavaCPP (linux-x86_64 natives)");
        } catch (Throwable t) {
            return new Status(BenchProfile.OPENBLAS, false, "OpenBLAS " + version + " does not load here (natives are"
                    + " bundled for linux-x86_64 only): " + t);
        }
    }

    /** The version in a jar's META-INF/maven pom.properties, or "?". */
    public static String mavenVersion(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Peers.class.getResourceAsStream(res)) {
            if (in == null) return "?";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }
}
