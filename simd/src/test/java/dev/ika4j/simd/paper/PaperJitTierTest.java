/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The paper kernels give the same bits whichever JIT tier runs them (their log, sin, cos and lane
 * sums are plain arithmetic): a child JVM limited to C1 against this one after warming up into C2.
 */
class PaperJitTierTest {
    static List<String> fingerprints() {
        List<String> out = new ArrayList<>();
        PaperKernels pk = new PaperKernels(9);
        RandomInputs r = pk.random();
        int d = 24, heads = 2, m = 12;
        Tensor q = r.tensor(2, heads, 37, d), k = r.tensor(2, 1, 150, d), v = r.tensor(2, 1, 150, 9);
        List<AttentionKernel> kernels = List.of(RbfImportanceKernel.standardForm(), RbfImportanceKernel.lp(2.5),
                pk.direct(d, heads, m, 1.0, IkaOptions.builder().p(3).build()),
                pk.direct(d, heads, m, 1.0, IkaOptions.builder().preset(Preset.AUTHORS).linear(true).build()),
                pk.generatorKernel(d, heads, m, pk.generatorNoise(d, heads, m), IkaOptions.DEFAULT),
                pk.copulaKernel(d, m, pk.copulaNoise(2, d, heads, m), IkaOptions.builder().p(1.8).build()));
        try (SimdBackend b = new SimdBackend(BackendConfig.defaults().withThreads(2))) {
            for (AttentionKernel kernel : kernels) {
                for (boolean causal : new boolean[] {false, true}) {
                    if (causal && kernel instanceof dev.ika4j.api.kernel.CopulaKernel) continue; // refused: pools the sequence
                    boolean linear = kernel instanceof dev.ika4j.api.kernel.IkaDirectKernel dk && dk.options().linear();
                    AttentionResult res = b.attention(q, k, v, AttentionOptions.builder().kernel(kernel).causal(causal).returnEnergy(!linear).build());
                    out.add(kernel.name() + " " + hash(res.output()) + " " + (linear ? "-" : hash(res.energy())) + " " + res.regularizer());
                }
            }
        }
        return out;
    }

    private static String hash(Tensor t) {
        long h = 1125899906842597L;
        for (float x : t.toArray()) h = 31 * h + Float.floatToIntBits(x);
        return Long.toHexString(h);
    }

    @Test
    void c1AndC2GiveIdenticalBits() throws Exception {
        List<String> cmd = List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Child.class.getName());
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        List<String> child = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("fp ")) child.add(line.substring(3).trim());
        }
        List<String> here = null;
        for (int warm = 0; warm < 40; warm++) here = fingerprints(); // long enough for C2 to take over
        assertEquals(here.size(), child.size(), new String(bytes, StandardCharsets.UTF_8));
        assertEquals(here, child);
    }

    /** Prints the fingerprints; run in a child JVM. */
    public static final class Child {
        public static void main(String[] args) {
            for (String f : fingerprints()) System.out.println("fp " + f);
        }
    }
}
