/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Backends;
import dev.ika4j.bench.train.GraphExperiment.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The graph model trains on simd's training path over CSR neighbourhoods, and the command writes its report. */
class GraphExperimentTest {

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"GAT", "GAT_KERNEL", "IKA_DIRECT"})
    void learnsAPlantedPartitionWellAboveChance(Variant v) {
        // 3 communities of 40, features too noisy to classify alone (signal 0.3): the edges must help
        GraphData g = GraphData.planted(120, 3, 8, 0.15, 0.01, 0.3, 5);
        GraphExperiment.Config config = new GraphExperiment.Config(60, 0.01, 5e-4, 0.0, 5, 10);
        try (AttentionBackend simd = Backends.open("simd", BackendConfig.defaults().withThreads(1))) {
            GraphModel model = GraphExperiment.model(v, g, config, simd.training(), new SplittableRandom(17));
            Split split = GraphExperiment.split(g, config, 1);
            GraphExperiment.History h = GraphExperiment.train(model, g, split, config, null);
            double first = h.trainLoss()[0], last = h.trainLoss()[config.epochs() - 1];
            System.out.printf("graph model, %s: training loss %.3f -> %.3f, test accuracy %.3f at epoch %d%n", v, first, last,
                    h.selectedTestAccuracy(), h.selectedEpoch() + 1);
            assertTrue(last < 0.3 * first, v + ": training loss " + first + " -> " + last);
            // chance is 1/3; 90 test nodes
            assertTrue(h.selectedTestAccuracy() > 0.7, v + ": test accuracy " + h.selectedTestAccuracy());
            assertEquals(h.validationAccuracy()[h.selectedEpoch()], java.util.Arrays.stream(h.validationAccuracy()).max().orElseThrow());
        }
    }

    @Test
    void theGraphIsWhatHelps() {
        // the same model without edges (an MLP on the noisy features) does clearly worse than GAT
        GraphData g = GraphData.planted(120, 3, 8, 0.15, 0.01, 0.3, 5);
        GraphExperiment.Config config = new GraphExperiment.Config(60, 0.01, 5e-4, 0.0, 5, 10);
        try (AttentionBackend simd = Backends.open("simd", BackendConfig.defaults().withThreads(1))) {
            double[] acc = new double[2];
            Variant[] vs = {Variant.GAT, Variant.NO_EDGES};
            for (int i = 0; i < 2; i++) {
                GraphModel model = GraphExperiment.model(vs[i], g, config, simd.training(), new SplittableRandom(17));
                acc[i] = GraphExperiment.train(model, g, GraphExperiment.split(g, config, 1), config, null).selectedTestAccuracy();
            }
            System.out.printf("graph model: GAT %.3f, no edges %.3f%n", acc[0], acc[1]);
            assertTrue(acc[0] > acc[1] + 0.1, "GAT " + acc[0] + ", no edges " + acc[1]);
        }
    }

    @Test
    void commandWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("graph.md");
        int rc = ReproduceCommand.run(new String[] {"graph", "--seeds", "2", "--epochs", "3", "--datasets", "karate", "--threads", "1",
                "--out", report.toString()});
        assertEquals(0, rc);
        String md = Files.readString(report);
        assertTrue(md.contains("## karate"), md);
        for (Variant v : Variant.values()) assertTrue(md.contains("| " + v.label + " |"), () -> "no row for " + v + " in\n" + md);
        assertTrue(md.contains("| karate | real (social network) | 34 | 78 | 2 | 34 (one-hot identity) | 3 / 3 | 22 |"), md);
        assertTrue(md.contains("Against GAT's"), md);
        assertEquals(1 + Variant.values().length * 2, Files.readString(dir.resolve("graph/runs.csv")).lines().count());
    }
}
