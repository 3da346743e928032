/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.kernel.AttentionKernel;
import org.junit.jupiter.api.Test;

class KernelsTest {
    @Test
    void everyKernelBuildsForOddShapesAndNamesItself() {
        for (String name : Kernels.names()) {
            for (String shape : new String[] {"1x1x7x5", "2x3x33x64"}) {
                AttentionKernel k = Kernels.get(name).factory().apply(Shape.parse(shape));
                assertTrue(name.startsWith(k.name()), name + " built " + k.name());
            }
        }
        assertEquals("standard", Kernels.names().get(0));
        assertTrue(Kernels.paperKernels().containsAll(java.util.List.of("rbf-importance", "ika-direct", "ika-generator", "copula")));
    }

    @Test
    void unknownKernelListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.get("nope"));
        assertTrue(e.getMessage().contains("copula"), e.getMessage());
    }

    @Test
    void flopRatiosAreOneForStandardAndAboveForSpectralKernels() {
        Shape s = Shape.parse("1x8x1024x64");
        assertEquals(1.0, Kernels.flopRatio("standard", s, true));
        // Spectral: (4M + 2d) / 4d per pair with M = 64, d = 64, plus phi per row.
        double r = Kernels.flopRatio("ika-direct", s, false);
        assertTrue(r > 1.5 && r < 1.8, "ratio " + r);
    }
}
