/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.Neighbourhood;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The graph data sets, their neighbourhoods and the per-class split. */
class GraphDataTest {

    @Test
    void karateClubLoadsWithZacharysCounts() {
        GraphData g = GraphData.load("karate");
        assertEquals(34, g.nodes());
        assertEquals(78, g.edges());
        assertEquals(2, g.classes());
        // networkx: 17 members with Mr. Hi (club 0, node 0 is Mr. Hi), 17 with the Officer (node 33 is John A.)
        assertEquals(17, Arrays.stream(g.labels()).filter(l -> l == 0).count());
        assertEquals(0, g.labels()[0]);
        assertEquals(1, g.labels()[33]);
        // Mr. Hi has 16 friends, the Officer 17, as in Zachary's table
        assertEquals(16, g.adjacent()[0].length);
        assertEquals(17, g.adjacent()[33].length);
        assertEquals(34, g.features());
        assertEquals(1.0, g.x()[5 * 34 + 5]);
        assertEquals(34.0, Arrays.stream(g.x()).sum());
    }

    @Test
    void neighbourhoodIsTheNeighboursAndTheNodeInOrder() {
        GraphData g = GraphData.load("karate");
        Neighbourhood n = g.neighbourhood();
        n.check(1, 34, 34, "[1, 34, h, d]");
        int total = 0;
        for (int i = 0; i < g.nodes(); i++) {
            int deg = n.degree(0, i, 0, 34);
            assertEquals(g.adjacent()[i].length + 1, deg, "node " + i);
            int[] keys = new int[deg];
            for (int k = 0; k < deg; k++) keys[k] = n.key(0, i, k, 0);
            int[] want = Arrays.copyOf(g.adjacent()[i], deg);
            want[deg - 1] = i;
            Arrays.sort(want);
            assertArrayEquals(want, keys, "node " + i);
            total += deg;
        }
        assertEquals(2 * 78 + 34, total);
    }

    @Test
    void plantedGraphIsSeededAndHomophilous() {
        GraphData a = GraphData.planted(200, 4, 8, 0.1, 0.01, 0.5, 3), b = GraphData.planted(200, 4, 8, 0.1, 0.01, 0.5, 3);
        assertArrayEquals(a.x(), b.x());
        assertEquals(a.edges(), b.edges());
        assertFalse(Arrays.equals(a.x(), GraphData.planted(200, 4, 8, 0.1, 0.01, 0.5, 4).x()));
        int inside = 0, across = 0;
        for (int i = 0; i < a.nodes(); i++)
            for (int j : a.adjacent()[i]) {
                if (a.labels()[i] == a.labels()[j]) inside++;
                else across++;
            }
        // expected: 50 * 49 / 2 * 0.1 * 4 = 490 inside, 150 * 50 / 2 * 4 * 0.01 = 150 across (each counted twice here)
        assertTrue(inside > 2 * 400 && inside < 2 * 580, "inside " + inside);
        assertTrue(across > 2 * 100 && across < 2 * 200, "across " + across);
        assertEquals(50, Arrays.stream(a.labels()).filter(l -> l == 2).count());
    }

    @Test
    void perClassSplitHasTheCountsAndIsDisjoint() {
        GraphData g = GraphData.planted(90, 3, 4, 0.1, 0.01, 0.5, 3);
        Split s = Split.perClass(g.labels(), 3, 4, 6, 99);
        int[][] counts = new int[3][3];
        for (int i = 0; i < g.nodes(); i++) {
            int sets = (s.train()[i] ? 1 : 0) + (s.validation()[i] ? 1 : 0) + (s.test()[i] ? 1 : 0);
            assertEquals(1, sets, "node " + i + " is in " + sets + " sets");
            counts[g.labels()[i]][s.train()[i] ? 0 : s.validation()[i] ? 1 : 2]++;
        }
        for (int[] c : counts) assertArrayEquals(new int[] {4, 6, 20}, c);
        assertFalse(Arrays.equals(s.train(), Split.perClass(g.labels(), 3, 4, 6, 100).train()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Split.perClass(g.labels(), 3, 20, 10, 1));
        assertTrue(e.getMessage().contains("class 0 has 30 nodes"), e.getMessage());
    }
}
