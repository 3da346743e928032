/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, finding 11: a missing folder printed "ika conformance: conformance: ..." after the backends header. */
class ConformanceCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFolderIsOneLineBeforeAnyHeader() {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        String missing = dir.resolve("nothing-here").toString();
        try {
            rc = Main.run(new String[] {"conformance", missing});
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(2, rc);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no backends header");
        assertEquals("ika conformance: no such directory: " + missing, err.toString(StandardCharsets.UTF_8).strip());
    }
}
