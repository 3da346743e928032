/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.Train;
import dev.ika4j.gradtest.RandomProblems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel of the paper's family: the float64 backward against central finite differences
 * (every input and every parameter, with masks, causal, GQA, lengths and past caches), and the
 * float64 forward it differentiates against the reference backend.
 */
class PaperBackwardTest {

    enum Kind {
        RBF_STANDARD_FORM, RBF_LP, IKA_DIRECT_PAPER, IKA_DIRECT_AUTHORS, IKA_DIRECT_SMALL_EPS, GENERATOR, COPULA_PAPER,
        COPULA_AUTHORS
    }

    /** Small shapes: each finite-difference entry costs four forward passes. */
    static final int MAX_SEQ = 4, MAX_DIM = 4;

    static AttentionKernel kernel(Kind kind, AttentionProblem shape, SplittableRandom r) {
        int d = shape.dim(), h = shape.qHeads(), m = 2 + 2 * r.nextInt(2);
        IkaOptions paper = IkaOptions.builder().p(1.5 + r.nextDouble() * 1.5).eps(0.05).frequencyScale(2 * Math.PI).build();
        IkaOptions authors = paper.toBuilder().preset(Preset.AUTHORS).p(3.0).build();
        return switch (kind) {
            case RBF_STANDARD_FORM -> RbfImportanceKernel.standardForm();
            case RBF_LP -> new RbfImportanceKernel(1.8 + r.nextDouble(), 0.5 + r.nextDouble());
            case IKA_DIRECT_PAPER -> PaperKernels.direct(r, d, h, m, paper);
            case IKA_DIRECT_AUTHORS -> PaperKernels.direct(r, d, h, m, authors);
            case IKA_DIRECT_SMALL_EPS -> PaperKernels.direct(r, d, h, m, authors.toBuilder().eps(IkaOptions.DEFAULT_EPS).build());
            case GENERATOR -> PaperKernels.generatorKernel(r, d, h, m, paper);
            case COPULA_PAPER -> PaperKernels.copula(r, shape.batch(), d, h, m, paper);
            case COPULA_AUTHORS -> PaperKernels.copula(r, shape.batch(), d, h, m, authors);
        };
    }

    static AttentionProblem problem(Kind kind, long seed) {
        AttentionProblem shape = RandomProblems.randomProblem(seed, AttentionOptions.builder(), MAX_SEQ, MAX_DIM);
        AttentionKernel k = kernel(kind, shape, new SplittableRandom(seed * 13 + kind.ordinal()));
        return RandomProblems.randomProblem(seed, AttentionOptions.builder().kernel(k), MAX_SEQ, MAX_DIM);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Kind k : Kind.values()) for (long seed = 1; seed <= 6; seed++) out.add(Arguments.of(k, seed));
        return out.stream();
    }

    static double worst = 0;

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void matchesFiniteDifferences(Kind kind, long seed) {
        AttentionProblem p = problem(kind, seed);
        SplittableRandom r = new SplittableRandom(seed * 101);
        ReferenceBackward.Values x = RandomProblems.randomValues(r, p);
        double[] dOut = RandomProblems.randomDoubles(r, p.batch() * p.qHeads() * p.qSeq() * p.vDim());
        double dReg = kind.name().startsWith("COPULA") ? 0.7 : 0.0;
        for (GradCheck.Result res : GradCheck.check(p, x, dOut, dReg, 1e-6)) worst = Math.max(worst, res.relativeError());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copulaPresets")
    void regulariserGradientAlone(Kind kind) {
        for (long seed = 1; seed <= 4; seed++) {
            AttentionProblem p = problem(kind, seed);
            ReferenceBackward.Values x = RandomProblems.randomValues(new SplittableRandom(seed), p);
            double[] dOut = new double[p.batch() * p.qHeads() * p.qSeq() * p.vDim()];
            GradCheck.check(p, x, dOut, 1.0, 1e-6);
        }
    }

    static Stream<Kind> copulaPresets() {
        return Stream.of(Kind.COPULA_PAPER, Kind.COPULA_AUTHORS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void float64ForwardMatchesTheReferenceBackend(Kind kind) {
        for (long seed = 1; seed <= 6; seed++) {
            AttentionProblem p = problem(kind, seed);
            ReferenceBackward.Forward f = ReferenceBackward.forward(p, ReferenceBackward.Values.of(p));
            AttentionResult want = new ReferenceBackend().attention(p.q(), RandomProblems.slice(p.presentKey(), p.pastSeq(), p.kvSeq()),
                    RandomProblems.slice(p.presentValue(), p.pastSeq(), p.kvSeq()), RandomProblems.optionsOf(p));
            float[] w = want.output().toArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], f.output()[i], 1e-6 * (1 + Math.abs(w[i])), kind + " seed " + seed + " entry " + i);
            }
            assertEquals(want.regularizer(), f.regularizer(), 1e-9 * (1 + Math.abs(want.regularizer())), kind + " regulariser");
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(Kind.values());
    }

    @Test
    void linearTimeModeHasTheQuadraticGradient() {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int b = 1 + r.nextInt(2), h = 2, s = 2 + r.nextInt(3), d = 2 + r.nextInt(2);
            Tensor q = RandomProblems.random(r, b, h, s, d), k = RandomProblems.random(r, b, h, s + 1, d);
            Tensor v = RandomProblems.random(r, b, h, s + 1, 2);
            IkaOptions o = IkaOptions.builder().eps(0.05).linear(true).build();
            AttentionOptions opts = AttentionOptions.builder().causal(seed % 2 == 0).kernel(PaperKernels.direct(r, d, h, 2, o)).build();
            AttentionProblem p = AttentionProblem.of(q, k, v, opts);
            ReferenceBackward.Values x = RandomProblems.randomValues(r, p);
            GradCheck.check(p, x, RandomProblems.randomDoubles(r, b * h * s * 2), 0, 1e-6);
        }
    }

    @Test
    void aTrainingModeSeedIsRejectedBecauseTheBackwardCannotSeeTheForwardsDraw() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor q = RandomProblems.random(r, 1, 2, 3, 2), k = RandomProblems.random(r, 1, 2, 3, 2), v = RandomProblems.random(r, 1, 2, 3, 2);
        var g = PaperKernels.generatorKernel(r, 2, 2, 4, IkaOptions.DEFAULT).withNoise(NoiseSource.seeded(5, NoiseSource.Mode.TRAINING));
        AttentionOptions o = AttentionOptions.builder().kernel(g).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Train.gradients(new ReferenceBackend(), q, k, v, o, RandomProblems.random(r, 1, 2, 3, 2)));
        assertTrue(e.getMessage().contains("NoiseSource.fixed"), e.getMessage());
        // an inference-mode seed is deterministic, so it is accepted
        var inf = g.withNoise(NoiseSource.seeded(5, NoiseSource.Mode.INFERENCE));
        Train.gradients(new ReferenceBackend(), q, k, v, o.toBuilder().kernel(inf).build(), RandomProblems.random(r, 1, 2, 3, 2));
    }

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.printf("paper kernels: worst relative gradient error %.2e%n", worst);
    }
}
