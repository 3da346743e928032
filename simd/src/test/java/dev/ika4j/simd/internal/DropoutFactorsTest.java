/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.kernel.ImportanceDropout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The row-hoisted, vectorised mask against the api's definition, entry by entry. */
class DropoutFactorsTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sameFactorsAsTheApiDefinition(boolean vector) {
        double[] rates = {0.1, 0.5, 0.013, 0.999, Double.MIN_VALUE};
        long[] seeds = {0, 42, -7, Long.MAX_VALUE};
        int dropped = 0, total = 0;
        for (double rate : rates) {
            for (long seed : seeds) {
                ImportanceDropout d = ImportanceDropout.training(rate, seed);
                for (int[] bhi : new int[][] {{0, 0, 0}, {1, 3, 17}, {2, 7, 1000}}) {
                    // odd starts and ends: the vector loop, its scalar tail and a run shorter than a vector
                    for (int[] range : new int[][] {{0, 67}, {5, 12}, {3, 4}, {1000, 1131}}) {
                        int off = 3, n = range[1] - range[0];
                        double[] out = new double[off + n + 1];
                        out[off + n] = -1;
                        DropoutFactors.fill(d, bhi[0], bhi[1], bhi[2], range[0], range[1], out, off, vector);
                        for (int j = range[0]; j < range[1]; j++) {
                            assertEquals(d.factor(bhi[0], bhi[1], bhi[2], j), out[off + j - range[0]], 0.0,
                                    "rate " + rate + " seed " + seed + " entry " + java.util.Arrays.toString(bhi) + " key " + j);
                            total++;
                            if (out[off + j - range[0]] == 0) dropped++;
                        }
                        assertEquals(-1, out[off + n], 0.0, "nothing written past j1");
                    }
                }
            }
        }
        assertTrue(dropped > 0 && dropped < total, "both kept and dropped entries were compared: " + dropped + " of " + total);
    }
}
