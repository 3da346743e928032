/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.graph;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Banded neighbourhoods in simd's fused block loop (key blocks outside the band skipped, each row
 * masked at its band's edges), forward, against the float64 reference and against the same band
 * written as CSR lists (which simd gathers): odd sizes, several query and key blocks, past keys,
 * valid lengths, causal, GQA, the row-by-row decoding path and the energy.
 */
class BandedBlocksTest {
    static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));
    static final ReferenceBackend REF = new ReferenceBackend();

    /** The band as explicit CSR lists: the keys t - left .. t + right in [0, total) for t = past + i. */
    static Neighbourhood asCsr(int q, int past, int total, long left, long right) {
        int[] indptr = new int[q + 1];
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < q; i++) {
            long t = past + i;
            for (long j = Math.max(0, t - left); j <= Math.min(total - 1L, t + right); j++) idx.add((int) j);
            indptr[i + 1] = idx.size();
        }
        return Neighbourhood.csr(indptr, idx.stream().mapToInt(Integer::intValue).toArray());
    }

    @ParameterizedTest(name = "{0} q={1} kv={2} past={3} band=({4},{5}) causal={6} lengths={7} heads={8}/{9} dim={10}")
    @CsvSource({
            // kind, q, kv, past, left, right, causal, kvLength (0: all), q heads, kv heads, dim
            "standard, 301, 301, 0, 70, 9, false, 0, 2, 2, 7",
            "standard, 301, 301, 0, 70, 9, true, 0, 2, 1, 7",
            "standard, 1, 1, 300, 17, 0, false, 0, 1, 1, 5",     // decoding: the row-by-row path
            "standard, 3, 3, 290, 40, 2, true, 0, 1, 1, 9",
            "standard, 67, 67, 200, 100, 3, true, 0, 3, 1, 5",
            "standard, 129, 129, 0, 0, 0, false, 0, 1, 1, 3",    // each query sees itself only
            "standard, 97, 97, 0, 2147483647, 2147483647, false, 0, 2, 2, 4", // the whole row: no overflow
            "standard, 263, 263, 0, 31, 300, false, 150, 2, 2, 6", // valid lengths cut the band
            "rbf, 301, 301, 0, 70, 9, false, 0, 2, 2, 7",
            "rbf, 67, 67, 200, 100, 3, true, 0, 2, 1, 5",
            "direct, 289, 289, 0, 45, 45, false, 0, 2, 2, 5",
            "direct, 67, 67, 200, 100, 3, true, 0, 2, 2, 5",
            "generator, 150, 150, 0, 20, 30, false, 0, 2, 2, 3",
            "generator, 1, 1, 300, 17, 0, false, 0, 2, 2, 5",
    })
    void bandMatchesReferenceAndTheGather(String kind, int q, int kv, int past, int left, int right, boolean causal, int kvLength,
                                          int qHeads, int kvHeads, int dim) {
        SplittableRandom r = new SplittableRandom(q * 31L + past + left * 7L + right + kind.hashCode());
        Tensor qt = NeighbourhoodTest.random(r, 2, qHeads, q, dim), kt = NeighbourhoodTest.random(r, 2, kvHeads, kv, dim),
                vt = NeighbourhoodTest.random(r, 2, kvHeads, kv, dim);
        AttentionOptions.Builder base = AttentionOptions.builder().kernel(NeighbourhoodTest.kernel(kind, r, dim, qHeads)).causal(causal)
                .returnEnergy(true);
        if (past > 0) base.past(NeighbourhoodTest.random(r, 2, kvHeads, past, dim), NeighbourhoodTest.random(r, 2, kvHeads, past, dim));
        if (kvLength > 0) base.kvLengths(new int[] {kvLength, past + kv});
        AttentionOptions band = base.neighbourhood(Neighbourhood.banded(left, right)).build();
        AttentionOptions csr = band.toBuilder().neighbourhood(asCsr(q, past, past + kv, left, right)).build();
        AttentionResult want = REF.attention(qt, kt, vt, band), got = SIMD.attention(qt, kt, vt, band),
                gathered = SIMD.attention(qt, kt, vt, csr);
        Compare.assertClose(kind + " band vs reference", want.output(), got.output(), 1e-4);
        Compare.assertClose(kind + " band vs gathered CSR", gathered.output(), got.output(), 1e-4);
        NeighbourhoodTest.assertEnergy(want.energy(), got.energy());
    }
}
