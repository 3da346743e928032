/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void parsesAndPrintsBatchHeadsSeqDim() {
        Shape s = Shape.parse("2x3x1000x80");
        assertEquals(new Shape(2, 3, 1000, 80), s);
        assertEquals("2x3x1000x80", s.toString());
        assertEquals(2 * 3 * 1000 * 80, s.elements());
    }

    @Test
    void badShapesNameTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.parse("1x8x1024"));
        assertTrue(e.getMessage().contains("1x8x1024"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1x8xLx64"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1x0x16x64"));
    }

    @Test
    void flopsCountTwoPerMultiplyAddOfBothProductsOverTheComputedPairs() {
        Shape s = new Shape(1, 8, 1024, 64);
        assertEquals(2.0 * 8 * 1024 * 1024 * (64 + 64), s.flops(false));
        // Causal: query i sees i + 1 keys, sum over i = L(L+1)/2.
        assertEquals(2.0 * 8 * (1024 * 1025 / 2.0) * 128, s.flops(true));
        assertEquals(1, new Shape(1, 1, 1, 4).pairsPerHead(true));
    }

    @Test
    void groupedHeadsAndLongerKeysParseAndCount() {
        Shape gqa = Shape.parse("1x32/8x512x128");
        assertEquals(new Shape(1, 32, 8, 512, 512, 128), gqa);
        assertEquals("1x32/8x512x128", gqa.toString());
        assertEquals(4, gqa.group());
        assertEquals(8 * 512 * 128, gqa.kvElements());
        Shape dec = Shape.parse("4x8x1:16384x64");
        assertEquals("4x8x1:16384x64", dec.toString());
        assertTrue(dec.decode());
        assertEquals(2.0 * 4 * 8 * 16384 * 128, dec.flops(false));
        assertEquals(2.0 * 4 * 4 * 8 * 16384 * 64, dec.kvBytes());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1x32/5x512x128"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1x8x1:2:3x64"));
    }
}
