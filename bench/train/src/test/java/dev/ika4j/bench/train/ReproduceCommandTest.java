/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./ika reproduce regression} end to end on a tiny budget: report, table and plot. */
class ReproduceCommandTest {

    @Test
    void writesTheReportAndThePlot(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("repro.md");
        int rc = ReproduceCommand.run(new String[] {"regression", "--seeds", "2", "--epochs", "3", "--datasets", "airline",
                "--threads", "1", "--out", report.toString()});
        assertEquals(0, rc);
        String md = Files.readString(report);
        assertTrue(md.contains("## airline"), md);
        for (String model : new String[] {"| Transformer | 4 |", "| IKAN-direct | 8 | 2.0 |", "| MIKAN | 8 | 3.0 |", "| IKA generator (ika4j's own) | 8 | 2.0 |"}) {
            assertTrue(md.contains(model), () -> "missing row " + model + " in\n" + md);
        }
        assertTrue(md.contains("Authors' way, against the Transformer's"), md);
        assertTrue(md.contains("![airline fit](repro/airline.png)"), md);
        String csv = Files.readString(dir.resolve("repro/runs.csv"));
        // by default separate runs: per model and seed one on all 90 % training rows (the authors' column), one with validation rows
        assertEquals(1 + 4 * 2 * 2, csv.lines().count(), csv);
        assertTrue(md.contains("train on all training rows (90 % of all rows)"), md);
        assertTrue(md.contains("(repro/runs.csv)"), md);
        BufferedImage png = ImageIO.read(dir.resolve("repro/airline.png").toFile());
        assertTrue(png.getWidth() > 600 && png.getHeight() > 300, png.getWidth() + "x" + png.getHeight());
    }

    @Test
    void rejectsBadOptionsByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReproduceCommand.run(new String[] {"regression", "--epochs", "0"}));
        assertTrue(e.getMessage().contains("--epochs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReproduceCommand.run(new String[] {"regression", "--datasets", "iris"}));
        assertTrue(e.getMessage().contains("iris"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReproduceCommand.run(new String[] {"classification"}));
        assertTrue(e.getMessage().contains("classification"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReproduceCommand.run(new String[] {"regression", "--runs", "both"}));
        assertTrue(e.getMessage().contains("--runs"), e.getMessage());
    }
}
