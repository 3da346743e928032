/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The width and FMA settings take effect (the build runs this at every width) and bad values are named. */
class SimdWidthTest {
    @Test
    void theKernelsRunAtTheRequestedWidth() {
        String asked = System.getProperty(SimdWidth.VECTOR_BITS);
        int expected = asked == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(asked);
        assertEquals(expected, VectorMath.SPECIES.vectorBitSize());
        assertEquals(expected / 32, VectorMath.LANES);
        assertEquals(4 * VectorMath.LANES, PackedKeys.TILE);
        String fma = System.getProperty(SimdWidth.FMA);
        if (fma != null) assertEquals(Boolean.parseBoolean(fma), VectorMath.FAST_FMA);
        assertNull(SimdWidth.problem());
    }

    @Test
    void badSettingsAreNamed() {
        String before = System.getProperty(SimdWidth.VECTOR_BITS);
        try {
            System.setProperty(SimdWidth.VECTOR_BITS, "384");
            assertTrue(SimdWidth.problem().contains("ika.simd.vectorBits (system property) must be 128, 256 or 512, got '384'"), SimdWidth.problem());
            System.setProperty(SimdWidth.VECTOR_BITS, "wide");
            assertTrue(SimdWidth.problem().contains("must be 128, 256 or 512"), SimdWidth.problem());
            int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (max < 512) {
                System.setProperty(SimdWidth.VECTOR_BITS, "512");
                assertTrue(SimdWidth.problem().contains("wider than this CPU's " + max), SimdWidth.problem());
            }
            System.setProperty(SimdWidth.VECTOR_BITS, "128");
            assertNull(SimdWidth.problem());
        } finally {
            if (before == null) System.clearProperty(SimdWidth.VECTOR_BITS);
            else System.setProperty(SimdWidth.VECTOR_BITS, before);
        }
    }
}
