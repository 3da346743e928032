/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.BackendConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Results must not depend on which JIT tier runs the code: the Vector API's fallback (C1) and
 * its C2 intrinsics must round identically. This catches reductions and library transcendentals
 * whose order or algorithm differs between tiers. A child JVM limited to C1 computes a set of
 * problems covering every code path; this JVM computes them after warming up into C2.
 */
class JitTierDeterminismTest {
    /** Fingerprints of the outputs and energies of the problem set, one line each. */
    static List<String> fingerprints() {
        List<String> out = new ArrayList<>();
        try (SimdBackend b = new SimdBackend(BackendConfig.defaults().withThreads(2))) {
            for (int[] shape : new int[][] {{3, 70, 17, 9}, {1, 130, 64, 64}, {1, 300, 40, 33}}) {
                SplittableRandom rnd = new SplittableRandom(shape[1]);
                int lq = shape[0], lk = shape[1], d = shape[2], dv = shape[3];
                Tensor q = TestInputs.tensor(rnd, 1, 2, lq, d, 1.5);
                Tensor k = TestInputs.tensor(rnd, 1, 1, lk, d, 1.5);
                Tensor v = TestInputs.tensor(rnd, 1, 1, lk, dv, 1.5);
                AttentionOptions o = AttentionOptions.builder().causal(true).softcap(3).scale(0.9)
                        .mask(TestInputs.additiveMask(rnd, 0.2, lq, lk)).returnEnergy(true).build();
                var r = b.attention(q, k, v, o);
                out.add(hash(r.output()) + " " + hash(r.energy()));
                // the single-row (decoding) path
                Tensor q1 = TestInputs.tensor(rnd, 1, 1, 1, d, 1.5);
                var r1 = b.attention(q1, k, v, AttentionOptions.builder().softcap(2).returnEnergy(true)
                        .mask(AttentionMask.additive(TestInputs.values(rnd, lk, 1), lk)).build());
                out.add(hash(r1.output()) + " " + hash(r1.energy()));
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
                "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Child.class.getName());
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        List<String> child = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("fp ")) child.add(line.substring(3).trim());
        }
        List<String> here = null;
        for (int warm = 0; warm < 60; warm++) here = fingerprints(); // long enough for C2 to take over
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
