/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchProfileTest {
    private static final BenchProfile.Selection ALL =
            new BenchProfile.Selection(List.of("simd"), Kernels.paperKernels(), BenchProfile.PEERS, 2);

    /** (implementation, shape, causal, threads) for every configuration of the standard kernel. */
    private static Set<String> configurations(BenchProfile p) {
        Set<String> out = new HashSet<>();
        for (BenchProfile.Run r : p.runs()) {
            if (r.params().containsKey("kernel") && !r.params().get("kernel").equals(List.of("standard"))) continue;
            List<String> impls = r.params().containsKey("backend") ? r.params().get("backend") : List.of(r.implementation());
            for (String i : impls)
                for (String s : r.params().get("shape"))
                    for (String c : r.params().get("causal"))
                        for (String t : r.params().get("threads")) out.add(i + " " + s + " " + c + " " + t);
        }
        return out;
    }

    @Test
    void quickCoversEveryGoalShapeForBackendAndBothOnnxRuntimeOperators() {
        Set<String> have = configurations(BenchProfile.quick(ALL));
        for (String shape : List.of("1x16x256x64", "4x8x512x64", "1x8x1024x64", "1x8x4096x64", "1x8x2048x128", "1x32x128x64",
                "2x8x2048x64", "1x32/8x512x128"))
            for (String causal : List.of("false", "true"))
                for (String impl : List.of("simd", BenchProfile.ORT, BenchProfile.ORT_MHA))
                    for (String t : List.of("1", "2")) {
                        String c = impl + " " + shape + " " + causal + " " + t;
                        assertTrue(have.contains(c), "quick profile lacks " + c);
                    }
        assertTrue(have.contains("simd 1x32x512x128 true 2"), "the GQA case's twin");
        for (String d : BenchProfile.DECODE_SHAPES)
            for (String impl : List.of("simd", BenchProfile.STREAM)) assertTrue(have.contains(impl + " " + d + " false 1"));
        BenchProfile q = BenchProfile.quick(ALL);
        assertTrue(q.runs().stream().anyMatch(r -> r.params().getOrDefault("vectorBits", List.of()).contains("256")
                && r.params().get("shape").containsAll(BenchProfile.QUICK_SHAPES)), "256-bit vectors at every shape");
        assertTrue(q.runs().stream().anyMatch(r -> r.params().getOrDefault("kernel", List.of()).contains("ika-direct")
                && r.params().get("shape").contains("1x8x4096x64")), "paper kernels at 4096");
    }

    @Test
    void quickFitsInAQuarterOfAnHourOnTwoCores() {
        BenchProfile q = BenchProfile.quick(ALL);
        assertEquals(1, q.forks());
        assertTrue(q.estimatedSeconds() <= 15 * 60, "quick profile estimated at " + q.estimatedSeconds() + " s");
        List<String> kernels = q.runs().stream().flatMap(r -> r.params().getOrDefault("kernel", List.of()).stream())
                .filter(k -> !k.equals("standard")).distinct().toList();
        assertTrue(kernels.containsAll(Kernels.paperKernels()), "quick profile measures every paper kernel: " + kernels);
    }

    @Test
    void fullHasSeveralForksBothHeadDimsAndOddShapes() {
        BenchProfile f = BenchProfile.full(ALL);
        assertEquals(3, f.forks());
        Set<String> have = configurations(f);
        for (int seq : new int[] {128, 512, 1024, 2048, 4096})
            for (int d : new int[] {64, 128}) assertTrue(have.contains("simd 1x8x" + seq + "x" + d + " true 2"));
        assertTrue(have.contains("simd 1x5x777x72 false 1"));
        assertTrue(have.contains("reference 1x8x128x64 false 1"), "reference only at small sizes");
        assertTrue(have.stream().filter(c -> c.startsWith("reference ")).allMatch(c -> c.contains("x128x")));
    }

    /** Causal over a decoding shape would see one key per query: such shapes run non-causal, however they are chosen. */
    @Test
    void decodingShapesNeverRunCausal() {
        List<String> mixed = List.of("1x8x256x64", "4x8x1:16384x64");
        for (BenchProfile p : List.of(BenchProfile.quick(ALL), BenchProfile.full(ALL), BenchProfile.quick(ALL).withParam("shape", mixed))) {
            Set<String> have = configurations(p);
            for (String d : BenchProfile.DECODE_SHAPES) {
                assertTrue(have.stream().noneMatch(c -> c.contains(" " + d + " true ")), p.name() + ": " + d + " causal");
            }
        }
        Set<String> overridden = configurations(BenchProfile.quick(ALL).withParam("shape", mixed));
        assertTrue(overridden.contains("simd 4x8x1:16384x64 false 1"), "the decoding shape still runs non-causal: " + overridden);
        assertTrue(overridden.contains("simd 1x8x256x64 true 1") && overridden.contains("simd 1x8x256x64 false 1"),
                "the other shape runs both ways: " + overridden);
    }

    @Test
    void overridesReplaceAParameterEverywhereItAppears() {
        BenchProfile p = BenchProfile.quick(ALL).withParam("shape", List.of("1x2x64x32")).withParam("threads", List.of("1"));
        for (BenchProfile.Run r : p.runs()) {
            assertEquals(List.of("1x2x64x32"), r.params().get("shape"));
            assertEquals(List.of("1"), r.params().get("threads"));
        }
    }

    @Test
    void slowImplementationsNeverGetLongSequences() {
        BenchProfile.Selection withRef = new BenchProfile.Selection(List.of("simd", "reference"), Kernels.paperKernels(),
                BenchProfile.PEERS, 2);
        for (BenchProfile p : List.of(BenchProfile.quick(withRef), BenchProfile.full(withRef),
                BenchProfile.full(withRef).withParam("shape", List.of("1x8x256x64", "1x8x4096x64")))) {
            for (String c : configurations(p)) {
                int seq = Shape.parse(c.split(" ")[1]).seq();
                if (c.startsWith("reference ")) assertTrue(seq <= 512, p.name() + ": " + c);
                if (c.startsWith(BenchProfile.SCALAR + " ")) assertTrue(seq <= 2048, p.name() + ": " + c);
            }
            assertTrue(configurations(p).stream().anyMatch(c -> c.startsWith("simd ") && c.contains("x4096x")), p.name());
        }
    }

    @Test
    void emptySelectionsDropTheirRuns() {
        BenchProfile p = BenchProfile.quick(new BenchProfile.Selection(List.of(), List.of(), List.of(BenchProfile.STREAM), 1));
        assertEquals(1, p.runs().size());
        assertEquals(List.of("1"), p.runs().get(0).params().get("threads"));
    }
}
