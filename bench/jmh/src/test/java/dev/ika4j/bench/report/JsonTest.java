/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesWhatJmhWrites() {
        Object v = Json.parse("""
                [ { "benchmark" : "a.B.c", "forks" : 2, "params" : { "shape" : "1x8x64x32" },
                    "primaryMetric" : { "score" : 1.5E-3, "scoreError" : "NaN", "rawData" : [ [ 1.0, 2.5 ], [ -3e2 ] ] },
                    "ok" : true, "none" : null, "s" : "a\\"b\\\\c\\u0041\\n" } ]
                """);
        Map<?, ?> e = (Map<?, ?>) ((List<?>) v).get(0);
        assertEquals("a.B.c", e.get("benchmark"));
        assertEquals(2.0, e.get("forks"));
        assertEquals(Map.of("shape", "1x8x64x32"), e.get("params"));
        Map<?, ?> m = (Map<?, ?>) e.get("primaryMetric");
        assertEquals(1.5e-3, m.get("score"));
        assertEquals(List.of(List.of(1.0, 2.5), List.of(-300.0)), m.get("rawData"));
        assertEquals(true, e.get("ok"));
        assertEquals(null, e.get("none"));
        assertEquals("a\"b\\cA\n", e.get("s"));
    }

    @Test
    void writeThenParseGivesTheSameValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "quo\"te\tand\\slash");
        m.put("n", 3.25);
        m.put("list", List.of("a", 1.0, false));
        m.put("empty", Map.of());
        m.put("nested", Map.of("k", List.of()));
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void malformedInputFailsWithItsOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }
}
