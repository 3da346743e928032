package dev.ika4j.bench.report;

import static dev.ika4j.bench.report.ReportFixtures.ATTENTION;
import static dev.ika4j.bench.report.ReportFixtures.BLAS;
import static dev.ika4j.bench.report.ReportFixtures.ORT;
import static dev.ika4j.bench.report.ReportFixtures.entry;
import static dev.ika4j.bench.report.ReportFixtures.ours;
import static dev.ika4j.bench.report.ReportFixtures.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.bench.jmh.BenchProfile;
import dev.ika4j.bench.jmh.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a JMH JSON file to the numbers in the tables and the chart files. */
class ReportTest {
    @TempDir
    Path dir;

    /** simd twice as fast as ONNX Runtime; causal simd at half the time; 2 threads 1.9x one. */
    private List<Measurement> fixture() throws Exception {
        List<Object> entries = new ArrayList<>();
        for (int seq : new int[] {1024, 2048}) {
            String shape = "1x8x" + seq + "x64";
            double t = new Shape(1, 8, seq, 64).flops(false) / 1e6 / 250; // 250 GFLOP/s
            entries.add(entry(ATTENTION, ours("simd", "standard", shape, false, 2), new double[][] {{t * 0.9, t * 1.1}, {t}}));
            entries.add(entry(ATTENTION, ours("simd", "standard", shape, false, 1), new double[][] {{t * 1.9}, {t * 1.9}}));
            entries.add(entry(ATTENTION, ours("simd", "standard", shape, true, 2), new double[][] {{t * 0.5}, {t * 0.5}}));
            entries.add(entry(ORT, peer("Attention", shape, false, 2), new double[][] {{2 * t}, {2 * t}}));
            entries.add(entry(BLAS, peer(null, shape, false, 2), new double[][] {{0.8 * t}, {0.8 * t}}));
        }
        entries.add(entry(ATTENTION, ours("simd", "ika-direct", "1x8x1024x64", false, 2),
                new double[][] {{new Shape(1, 8, 1024, 64).flops(false) / 1e6 / 250 * 3}}));
        Path json = dir.resolve("quick-jmh.json");
        Files.writeString(json, Json.write(entries));
        return Measurement.load(json);
    }

    @Test
    void measurementsReadBackWithSpreadOverForks() throws Exception {
        List<Measurement> ms = fixture();
        assertEquals(11, ms.size());
        Measurement simd = ms.get(0);
        assertEquals("simd", simd.implementation());
        assertEquals(new Shape(1, 8, 1024, 64), simd.shape());
        assertTrue(simd.spreadOverForks());
        assertEquals(250, simd.gflops().median(), 1e-9);
        assertEquals(250, simd.gflops().max(), 1e-9); // both forks average to t
        assertEquals(BenchProfile.ORT, ms.get(3).implementation());
        assertEquals(BenchProfile.OPENBLAS, ms.get(4).implementation());
        Measurement oneFork = ms.get(10);
        assertFalse(oneFork.spreadOverForks());
        assertEquals("ika-direct", oneFork.kernel());
    }

    @Test
    void tablesCarryRatiosTargetsAndTheMachine() throws Exception {
        List<Map<String, String>> failures = List.of(Map.of("implementation", "simd", "kernel", "copula",
                "params", "{shape=1x8x1024x64}", "message", "simd (copula) gives a wrong result"));
        MarkdownReport r = new MarkdownReport(fixture(), ReportFixtures.info(failures), List.of("quick-gflops-b1-h8-d64.png"));
        String md = r.document("quick-jmh.json");
        assertTrue(md.contains("Test CPU"), "machine block");
        assertTrue(md.contains("| simd / onnxruntime |"), md);
        assertTrue(md.contains("| 1x8x1024x64 | no | 2 | 250.0 (250.0-250.0) | 125.0 (125.0-125.0) | 312.5 (312.5-312.5) | 2.00x | 0.80x |"), md);
        // Targets: 250 >= 200 met, 2.00x >= 1.5x met.
        assertTrue(md.contains("| simd | 1024 | no | 250.0 | met | 125.0 (onnxruntime) | 2.00x | met |"), md);
        // Causal at half the time of non-causal: 0.50, target met.
        assertTrue(md.contains("| simd | 1x8x1024x64 | 2 |") && md.contains("| 0.50 | met |"), md);
        // Two threads 1.9x one thread.
        assertTrue(md.contains("| 1.90x | met |"), md);
        // Kernel at 3x standard's time beside its FLOP ratio.
        assertTrue(md.contains("| ika-direct | simd | 1x8x1024x64 | no | 2 |") && md.contains("| 3.00 |"), md);
        assertTrue(md.contains("## Not measured") && md.contains("wrong result"), md);
        assertTrue(md.contains("![GFLOP/s against sequence length](quick-gflops-b1-h8-d64.png)"));
        long tables = md.lines().filter(l -> l.startsWith("## ") && !l.contains("Machine") && !l.contains("Run")
                && !l.contains("Charts") && !l.contains("Not measured")).count();
        long machineLines = md.lines().filter(l -> l.startsWith("_Machine: Test CPU")).count();
        assertEquals(tables, machineLines, "every table carries the machine line");
    }

    @Test
    void chartPerFamilyWithTwoOrMoreLengths() throws Exception {
        List<String> names = GflopsChart.write(fixture(), dir, "quick", "Test CPU");
        assertEquals(List.of("quick-gflops-b1-h8-d64.png"), names);
        BufferedImage img = ImageIO.read(dir.resolve(names.get(0)).toFile());
        // Panels: (non-causal, 2), (non-causal, 1), (causal, 2): two columns, two rows.
        assertEquals(2 * 620, img.getWidth());
        assertTrue(img.getHeight() > 2 * 400);
        assertTrue(GflopsChart.niceCeiling(263) == 500 && GflopsChart.niceCeiling(0.7) == 1);
    }

    @Test
    void runInfoRoundTrips() throws Exception {
        RunInfo info = ReportFixtures.info(List.of(Map.of("implementation", "x", "kernel", "standard", "params", "{}", "message", "m")));
        Path f = dir.resolve("quick-run.json");
        info.write(f);
        assertEquals(info, RunInfo.read(f));
    }
}
