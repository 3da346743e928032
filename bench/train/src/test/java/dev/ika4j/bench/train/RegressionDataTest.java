/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shipped data sets, their scaling, and the authors' split. */
class RegressionDataTest {

    @Test
    void loadsTheShippedDataSetsScaledToPlusMinusOne() {
        int[][] shapes = {{144, 1}, {468, 1}, {506, 13}};
        for (int i = 0; i < 3; i++) {
            RegressionData d = RegressionData.load(RegressionData.NAMES.get(i));
            assertEquals(shapes[i][0], d.rows(), d.name());
            assertEquals(shapes[i][1], d.features(), d.name());
            double min = Arrays.stream(d.y()).min().orElseThrow(), max = Arrays.stream(d.y()).max().orElseThrow();
            assertEquals(-1.0, min, 1e-12);
            assertEquals(1.0, max, 1e-12);
            for (double x : d.x()) assertTrue(x >= -1 - 1e-12 && x <= 1 + 1e-12);
        }
        RegressionData air = RegressionData.load("airline");
        assertEquals(112.0, air.rawY()[0]);
        assertEquals(1949.0, air.rawX()[0]);
        // scaled back: y = (raw - min) / (max - min) * 2 - 1
        assertEquals((air.rawY()[0] - 104.0) / (622.0 - 104.0) * 2 - 1, air.y()[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> RegressionData.load("boston"));
    }

    @Test
    void splitsNinetyTenWithAValidationCarveOutAndTheSameTestRows() {
        Split a = Split.random(506, 1000, 0.0), b = Split.random(506, 1000, 0.1), c = Split.random(506, 1001, 0.0);
        assertEquals(455, MaskedMse.count(a.train()));
        assertEquals(51, MaskedMse.count(a.test()));
        assertFalse(a.hasValidation());
        assertEquals(46, MaskedMse.count(b.validation()));
        assertEquals(409, MaskedMse.count(b.train()));
        assertTrue(Arrays.equals(a.test(), b.test()), "validation is carved from the training rows only");
        assertFalse(Arrays.equals(a.test(), c.test()), "each seed has its own split");
        for (int i = 0; i < 506; i++) {
            int n = (b.train()[i] ? 1 : 0) + (b.validation()[i] ? 1 : 0) + (b.test()[i] ? 1 : 0);
            assertEquals(1, n, "row " + i + " is in exactly one part");
        }
    }

    @Test
    void maskedMseCountsOnlyMaskedRows() {
        double[] p = {1, 2, 3, 4}, y = {1, 0, 3, 0};
        boolean[] m = {true, true, false, false};
        assertEquals(2.0, MaskedMse.loss(p, y, m), 0);
        assertEquals(Arrays.toString(new double[] {0, 2, 0, 0}), Arrays.toString(MaskedMse.gradient(p, y, m)));
        assertThrows(IllegalArgumentException.class, () -> MaskedMse.loss(p, y, new boolean[4]));
    }
}
