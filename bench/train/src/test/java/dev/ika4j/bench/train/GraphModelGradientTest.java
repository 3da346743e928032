/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.Preset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The graph model's own pieces (q = k = v from one projection, heads concatenated and averaged,
 * ELU, cross-entropy) against central finite differences in float64, every parameter, through the
 * float64 attention operator (dense: which keys a node sees is the backend's part, tested there).
 */
class GraphModelGradientTest {

    static GraphModel model(KernelSpec k1, KernelSpec k2, int in, int heads, int dim, int classes, SplittableRandom r) {
        GraphAttentionLayer hidden = new GraphAttentionLayer("conv1", in, heads, dim, true, k1, Float64AttentionOp.withRepeatedNoise(k1, 1), r);
        GraphAttentionLayer output = new GraphAttentionLayer("conv2", hidden.outputs(), 2, classes, false, k2,
                Float64AttentionOp.withRepeatedNoise(k2, 2), r);
        return new GraphModel(new Dropout(0, r), hidden, new Dropout(0, r), output);
    }

    static double objective(GraphModel m, double[] x, int n, int[] labels, boolean[] mask, int classes) {
        return CrossEntropy.loss(m.forward(x, n, true), labels, mask, classes);
    }

    void check(GraphModel m, int n, int in, int classes, SplittableRandom r) {
        double[] x = TrainingStackGradientTest.random(r, n * in);
        int[] labels = new int[n];
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
            mask[i] = i % 3 != 1;
        }
        double[] logits = m.forward(x, n, true);
        for (Param p : m.parameters()) p.zeroGrad();
        m.backward(CrossEntropy.gradient(logits, labels, mask, classes));
        double h = 1e-5;
        for (Param p : m.parameters()) {
            double maxErr = 0, maxG = 0;
            for (int i = 0; i < p.size(); i++) {
                double keep = p.value[i];
                p.value[i] = keep + h;
                double up = objective(m, x, n, labels, mask, classes);
                p.value[i] = keep - h;
                double down = objective(m, x, n, labels, mask, classes);
                p.value[i] = keep;
                maxErr = Math.max(maxErr, Math.abs((up - down) / (2 * h) - p.grad[i]));
                maxG = Math.max(maxG, Math.abs(p.grad[i]));
            }
            if (maxG < 1e-12) {
                assertTrue(maxErr < 1e-8, p + ": zero analytic gradient, finite differences " + maxErr);
                continue;
            }
            assertTrue(maxErr / maxG < 1e-5, p + ": relative error " + maxErr / maxG + " (max |g| " + maxG + ")");
        }
    }

    @Test
    void dotProductModelMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(21);
        check(model(KernelSpec.standard(), KernelSpec.standard(), 5, 3, 4, 3, r), 7, 5, 3, r);
    }

    @Test
    void ikaDirectModelMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(22);
        IkaOptions o = IkaOptions.builder().preset(Preset.AUTHORS).p(3.0).eps(0.05).build();
        check(model(PaperKernelSpecs.direct(4, 3, 4, o, r), PaperKernelSpecs.direct(3, 2, 4, o, r), 5, 3, 4, 3, r), 6, 5, 3, r);
    }
}
