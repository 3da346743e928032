/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FitPlotTest {
    @Test
    void ticksAreRoundMultiplesInsideTheRange() {
        // the housing plot's old ticks read -0.9493, -0.4524, ...: a padded [-1, 1] range
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, FitPlot.ticks(-1.0494, 1.0494), 1e-12);
        assertArrayEquals(new double[] {1960, 1970, 1980, 1990, 2000}, FitPlot.ticks(1957.1, 2002.3), 1e-9);
        for (double[] r : new double[][] {{0.0123, 0.0871}, {-3.7, 12.9}, {1e5, 3.3e5}}) {
            double[] t = FitPlot.ticks(r[0], r[1]);
            assertTrue(t.length >= 3 && t.length <= 11, t.length + " ticks");
            for (double v : t) assertTrue(v >= r[0] && v <= r[1], v + " outside " + r[0] + " .. " + r[1]);
        }
    }

    @Test
    void labelsCarryNoFloatNoise() {
        assertEquals("0.3", FitPlot.tickLabel(0.1 * 3));
        assertEquals("0", FitPlot.tickLabel(-0.0));
        assertEquals("-0.5", FitPlot.tickLabel(-0.5));
        assertEquals("1960", FitPlot.tickLabel(1960.0));
    }
}
