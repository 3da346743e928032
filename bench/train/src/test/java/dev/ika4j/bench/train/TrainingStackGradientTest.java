/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole regression model (Linear, multi-head attention, residuals, LayerNorm, feed-forward,
 * masked MSE, the kernel's regulariser) against central finite differences in float64, every
 * parameter, through the float64 attention operator.
 */
class TrainingStackGradientTest {

    /** Relative error of a whole parameter: max |fd - analytic| / max |analytic|. */
    static double check(RegressionTransformer model, double[] x, int rows, double[] y, boolean[] mask, double regWeight) {
        double[] pred = model.forward(x, rows, true);
        for (Param p : model.parameters()) p.zeroGrad();
        model.backward(MaskedMse.gradient(pred, y, mask), regWeight);
        double worst = 0;
        int zeros = 0;
        // central differences at h and h/2, Richardson-extrapolated: O(h^4) truncation, so h can be
        // large enough that rounding stays far below the smallest gradients checked
        double h = 2e-5;
        for (Param p : model.parameters()) {
            double maxErr = 0, maxG = 0;
            for (int i = 0; i < p.size(); i++) {
                double fd = (4 * central(model, p, i, h / 2, x, rows, y, mask, regWeight)
                        - central(model, p, i, h, x, rows, y, mask, regWeight)) / 3;
                maxErr = Math.max(maxErr, Math.abs(fd - p.grad[i]));
                maxG = Math.max(maxG, Math.abs(p.grad[i]));
            }
            if (maxG < 1e-12) {
                // a gradient that is zero by symmetry (the key bias of dot-product attention shifts
                // every logit of a row equally): finite differences must agree that it is zero
                assertTrue(maxErr < 1e-8, p + ": analytic gradient is zero but finite differences give " + maxErr);
                zeros++;
                continue;
            }
            double rel = maxErr / maxG;
            assertTrue(rel < 1e-6, p + ": relative error " + rel + " (max |g| " + maxG + ")");
            worst = Math.max(worst, rel);
        }
        assertTrue(zeros <= 1, zeros + " parameters have zero gradient");
        return worst;
    }

    static double central(RegressionTransformer model, Param p, int i, double h, double[] x, int rows, double[] y,
                          boolean[] mask, double regWeight) {
        double keep = p.value[i];
        p.value[i] = keep + h;
        double up = objective(model, x, rows, y, mask, regWeight);
        p.value[i] = keep - h;
        double down = objective(model, x, rows, y, mask, regWeight);
        p.value[i] = keep;
        return (up - down) / (2 * h);
    }

    static double objective(RegressionTransformer model, double[] x, int rows, double[] y, boolean[] mask, double w) {
        double[] pred = model.forward(x, rows, true);
        return MaskedMse.loss(pred, y, mask) + w * model.regularizer();
    }

    static double[] random(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble() * 2 - 1;
        return a;
    }

    @Test
    void standardModelMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(11);
        int rows = 7, inputs = 3;
        RegressionTransformer model = new RegressionTransformer(inputs, 8, 2, KernelSpec.standard(),
                k -> new Float64AttentionOp(k, new SplittableRandom(1)), r);
        double[] x = random(r, rows * inputs), y = random(r, rows);
        boolean[] mask = {true, false, true, true, false, true, true};
        double worst = check(model, x, rows, y, mask, 0.0);
        System.out.printf("training stack, standard kernel: worst relative error %.2e%n", worst);
    }

    static IkaOptions authors(double p) {
        return IkaOptions.builder().preset(Preset.AUTHORS).p(p).eps(0.05).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ika-direct", "ika-generator", "copula"})
    void paperKernelModelsMatchFiniteDifferences(String kind) {
        SplittableRandom r = new SplittableRandom(kind.hashCode());
        int rows = 6, inputs = 2, width = 8, heads = 2, d = width / heads, m = 4;
        KernelSpec spec = switch (kind) {
            case "ika-direct" -> PaperKernelSpecs.direct(d, heads, m, authors(3.0), r);
            case "ika-generator" -> PaperKernelSpecs.generator(d, heads, m, authors(2.0), r);
            default -> PaperKernelSpecs.copula(d, heads, m, authors(1.8), 0.1, 0.1, 1.0, r);
        };
        // PyTorch's initial scale leaves the copula's generator gradients near 1e-5, where rounding in
        // the differences shows; larger weights and nonzero biases make every path count
        for (Param p : spec.parameters()) {
            for (int i = 0; i < p.size(); i++) p.value[i] = p.value[i] * 2.5 + 0.1 * (r.nextDouble() - 0.5);
        }
        RegressionTransformer model = new RegressionTransformer(inputs, width, heads, spec,
                k -> Float64AttentionOp.withRepeatedNoise(k, 5), r);
        double[] x = random(r, rows * inputs), y = random(r, rows);
        boolean[] mask = {true, true, false, true, true, false};
        double worst = check(model, x, rows, y, mask, kind.equals("copula") ? 1.0 / 4 : 0.0);
        System.out.printf("training stack, %s kernel: worst relative error %.2e%n", kind, worst);
    }

    @Test
    void adamFirstStepMovesEveryParameterByTheLearningRate() {
        Param p = new Param("p", 4);
        double[] g = {0.3, -2.0, 1e-3, -5e-2};
        System.arraycopy(g, 0, p.grad, 0, 4);
        Adam adam = new Adam(List.of(p), 0.01);
        adam.step();
        // first step: m/(1-b1) = g and sqrt(v/(1-b2)) = |g|, so the move is lr * g / (|g| + eps)
        for (int i = 0; i < 4; i++) assertEquals(-0.01 * g[i] / (Math.abs(g[i]) + Adam.EPS), p.value[i], 1e-15);
    }

    @Test
    void clippingScalesTheJointNormDownToTheLimit() {
        Param a = new Param("a", 3), b = new Param("b", 2);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 3; i++) a.grad[i] = 10 * r.nextGaussian();
        for (int i = 0; i < 2; i++) b.grad[i] = 10 * r.nextGaussian();
        double[] before = a.grad.clone();
        double norm = Adam.clipGradNorm(List.of(a, b), 1.0);
        double after = 0;
        for (double v : a.grad) after += v * v;
        for (double v : b.grad) after += v * v;
        assertEquals(1.0, Math.sqrt(after), 1e-5);
        assertEquals(before[0] / norm, a.grad[0], 1e-6 * Math.abs(before[0] / norm));
        // below the limit nothing changes
        double[] keep = a.grad.clone();
        Adam.clipGradNorm(List.of(a, b), 10.0);
        assertEquals(keep[1], a.grad[1]);
    }

    @Test
    void initialisationFollowsPytorchBounds() {
        SplittableRandom r = new SplittableRandom(4);
        Linear l = new Linear("l", 50, 30, r);
        double bound = 1 / Math.sqrt(50);
        double max = 0;
        for (double w : l.weight.value) {
            assertTrue(Math.abs(w) <= bound);
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max > 0.95 * bound, "1500 uniform draws reach near the bound");
        for (double b : l.bias.value) assertTrue(Math.abs(b) <= bound);
        assertEquals(8 * 64, Init.fanIn(8, 8, 64));
        Param w = new Param("w1", 8, 8, 64);
        Init.kaimingUniform(w, r);
        for (double v : w.value) assertTrue(Math.abs(v) <= 1 / Math.sqrt(512));
    }
}
