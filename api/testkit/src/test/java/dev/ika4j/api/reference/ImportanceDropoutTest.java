/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ImportanceDropout;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.testkit.PaperKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Importance dropout on the reference: its gradient against finite differences (the mask is a
 * function of the seed, so both sides see the same one), the mask's statistics, inference mode,
 * and the linear-time mode's refusal.
 */
class ImportanceDropoutTest {

    static IkaOptions options(SplittableRandom r, long seed, double rate) {
        return IkaOptions.builder().preset(Preset.AUTHORS).p(1.5 + r.nextDouble() * 1.5).eps(0.05)
                .importanceDropout(ImportanceDropout.training(rate, seed)).build();
    }

    static AttentionKernel kernel(int kind, AttentionProblem s, SplittableRandom r, long seed) {
        IkaOptions o = options(r, seed, 0.3);
        int m = 2 + 2 * r.nextInt(2);
        return switch (kind) {
            case 0 -> PaperKernels.direct(r, s.dim(), s.qHeads(), m, o);
            case 1 -> PaperKernels.generatorKernel(r, s.dim(), s.qHeads(), m, o);
            default -> PaperKernels.copula(r, s.batch(), s.dim(), s.qHeads(), m, o);
        };
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(ints = {0, 1, 2})
    void gradientMatchesFiniteDifferences(int kind) {
        for (long seed = 1; seed <= 6; seed++) {
            AttentionProblem shape = RandomProblems.randomProblem(seed, AttentionOptions.builder(), 4, 4);
            AttentionKernel k = kernel(kind, shape, new SplittableRandom(seed * 31 + kind), seed);
            AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder().kernel(k), 4, 4);
            SplittableRandom r = new SplittableRandom(seed * 7);
            ReferenceBackward.Values x = RandomProblems.randomValues(r, p);
            double[] dOut = RandomProblems.randomDoubles(r, p.batch() * p.qHeads() * p.qSeq() * p.vDim());
            GradCheck.check(p, x, dOut, kind == 2 ? 0.5 : 0.0, 1e-6);
        }
    }

    @Test
    void maskDropsTheRateAndIsAFunctionOfItsArguments() {
        ImportanceDropout d = ImportanceDropout.training(0.1, 42);
        int dropped = 0, n = 0, differ = 0;
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 3; h++)
                for (int i = 0; i < 60; i++)
                    for (int j = 0; j < 60; j++) {
                        double f = d.factor(b, h, i, j);
                        assertTrue(f == 0.0 || f == 1 / 0.9, "factor " + f);
                        assertEquals(f, d.factor(b, h, i, j), 0.0, "the same entry gives the same factor");
                        if (f == 0) dropped++;
                        if (f != d.withSeed(43).factor(b, h, i, j)) differ++;
                        n++;
                    }
        double rate = dropped / (double) n, sd = Math.sqrt(0.1 * 0.9 / n);
        assertTrue(Math.abs(rate - 0.1) < 5 * sd, "dropped " + rate + " of " + n);
        assertTrue(differ > 0.1 * n, "another seed gives another mask: " + differ + " of " + n + " differ");
        assertEquals(1.0, d.withTraining(false).factor(0, 0, 3, 4), 0.0);
        assertEquals(1.0, ImportanceDropout.training(0.0, 1).factor(0, 0, 3, 4), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ImportanceDropout.training(1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> ImportanceDropout.training(-0.1, 1));
    }

    @Test
    void inferenceModeIsNoDropoutAndTrainingModeChangesTheOutput() {
        SplittableRandom r = new SplittableRandom(3);
        int b = 2, h = 2, n = 9, d = 5;
        IkaDirectKernel plain = PaperKernels.direct(r, d, h, 6, IkaOptions.builder().preset(Preset.AUTHORS).p(3).build());
        Tensor q = RandomProblems.random(r, b, h, n, d), k = RandomProblems.random(r, b, h, n, d), v = RandomProblems.random(r, b, h, n, d);
        ReferenceBackend ref = new ReferenceBackend();
        ImportanceDropout drop = ImportanceDropout.training(0.5, 7);
        float[] none = out(ref, q, k, v, plain);
        float[] eval = out(ref, q, k, v, plain.withOptions(plain.options().toBuilder().importanceDropout(drop.withTraining(false)).build()));
        float[] train = out(ref, q, k, v, plain.withOptions(plain.options().toBuilder().importanceDropout(drop).build()));
        assertArrayEquals(none, eval, 0f);
        double diff = 0;
        for (int i = 0; i < none.length; i++) diff = Math.max(diff, Math.abs(none[i] - train[i]));
        assertTrue(diff > 1e-3, "training-mode dropout changed the output by only " + diff);
    }

    private static float[] out(ReferenceBackend ref, Tensor q, Tensor k, Tensor v, AttentionKernel kern) {
        return ref.attention(q, k, v, AttentionOptions.builder().kernel(kern).build()).output().toArray();
    }

    @Test
    void linearTimeModeRefusesItWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IkaOptions.builder().linear(true)
                .importanceDropout(ImportanceDropout.training(0.1, 1)).build());
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("importance dropout"), e.getMessage());
        // inference mode changes nothing, so the linear mode takes it
        IkaOptions.builder().linear(true).importanceDropout(ImportanceDropout.training(0.1, 1).withTraining(false)).build();
    }
}
