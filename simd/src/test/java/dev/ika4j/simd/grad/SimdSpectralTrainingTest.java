/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.ika4j.testkit.Train;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simd backward of the paper's kernels against the float64 reference backward. */
class SimdSpectralTrainingTest {
    static final dev.ika4j.simd.SimdBackend SIMD = new dev.ika4j.simd.SimdBackend(dev.ika4j.api.BackendConfig.defaults().withThreads(1));

    enum Kind { DIRECT, DIRECT_AUTHORS, GENERATOR, COPULA, COPULA_AUTHORS, RBF, STATIONARY, STATIONARY_GENERATOR, DROPOUT, DROPOUT_COPULA }

    static AttentionKernel kernel(Kind kind, AttentionProblem s, SplittableRandom r, double eps) {
        int m = 1 + r.nextInt(20);
        IkaOptions paper = IkaOptions.builder().p(1.5 + r.nextDouble() * 1.5).eps(eps).build();
        IkaOptions authors = paper.toBuilder().preset(Preset.AUTHORS).build();
        return switch (kind) {
            case DIRECT -> PaperKernels.direct(r, s.dim(), s.qHeads(), m, paper);
            case DIRECT_AUTHORS -> PaperKernels.direct(r, s.dim(), s.qHeads(), m, authors);
            case GENERATOR -> PaperKernels.generatorKernel(r, s.dim(), s.qHeads(), m, paper);
            case COPULA -> PaperKernels.copula(r, s.batch(), s.dim(), s.qHeads(), 2 * m, paper);
            case COPULA_AUTHORS -> PaperKernels.copula(r, s.batch(), s.dim(), s.qHeads(), 2 * m, authors);
            case RBF -> new RbfImportanceKernel(2.5, null);
            case STATIONARY -> dev.ika4j.api.kernel.IkaDirectKernel.stationary(PaperKernels.direct(r, s.dim(), s.qHeads(), m, authors).w1(), authors);
            case DROPOUT -> PaperKernels.direct(r, s.dim(), s.qHeads(), m, authors.toBuilder()
                    .importanceDropout(dev.ika4j.api.kernel.ImportanceDropout.training(0.3, r.nextLong())).build());
            case DROPOUT_COPULA -> PaperKernels.copula(r, s.batch(), s.dim(), s.qHeads(), 2 * m, paper.toBuilder()
                    .importanceDropout(dev.ika4j.api.kernel.ImportanceDropout.training(0.1, r.nextLong())).build());
            case STATIONARY_GENERATOR -> {
                dev.ika4j.api.kernel.IkaGeneratorKernel g = PaperKernels.generatorKernel(r, s.dim(), s.qHeads(), m, paper);
                yield dev.ika4j.api.kernel.IkaGeneratorKernel.stationary(g.g1(), m, g.noise(), paper);
            }
        };
    }

    static void compare(Kind kind, long seed, int maxSeq, int maxDim, double eps) {
        AttentionProblem shape = RandomProblems.randomProblem(seed, AttentionOptions.builder(), maxSeq, maxDim);
        AttentionKernel k = kernel(kind, shape, new SplittableRandom(seed), eps);
        AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder().kernel(k), maxSeq, maxDim);
        AttentionOptions o = RandomProblems.optionsOf(p);
        Tensor kk = RandomProblems.slice(p.presentKey(), p.pastSeq(), p.kvSeq()), vv = RandomProblems.slice(p.presentValue(), p.pastSeq(), p.kvSeq());
        Tensor dOut = RandomProblems.random(new SplittableRandom(seed + 1), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        double dReg = kind.name().startsWith("COPULA") ? 0.5 : 0.0;
        AttentionGradients want = Train.gradients(new ReferenceBackend(), p.q(), kk, vv, o, dOut, dReg);
        AttentionGradients got = Train.gradients(SIMD, p.q(), kk, vv, o, dOut, dReg);
        String at = kind + " seed " + seed + " " + p.q().shapeString() + " kv " + p.kvSeq() + ": ";
        int terms = p.kvSeq() * (k instanceof RbfImportanceKernel ? 1 : 8);
        SimdTrainingTest.assertClose(at + "dQ", want.dQ(), got.dQ(), terms);
        SimdTrainingTest.assertClose(at + "dK", want.dK(), got.dK(), terms);
        SimdTrainingTest.assertClose(at + "dV", want.dV(), got.dV(), p.qSeq() * p.group());
        SimdTrainingTest.assertClose(at + "dPastKey", want.dPastKey(), got.dPastKey(), terms);
        SimdTrainingTest.assertClose(at + "dPastValue", want.dPastValue(), got.dPastValue(), p.qSeq() * p.group());
        assertEquals(want.dKernel().getClass(), got.dKernel().getClass(), at + "the gradient's kernel type");
        List<ParamTensor> wantParams = want.dKernel().tensors(), gotParams = got.dKernel().tensors();
        assertEquals(wantParams.size(), gotParams.size());
        for (int t = 0; t < wantParams.size(); t++) {
            String name = want.dKernel().getClass().getSimpleName() + " tensor " + t + " " + wantParams.get(t).shapeString();
            assertEquals(wantParams.get(t).shapeString(), gotParams.get(t).shapeString(), at + name);
            double[] w = wantParams.get(t).toArray(), g = gotParams.get(t).toArray();
            double max = 0;
            for (double x : w) max = Math.max(max, Math.abs(x));
            double tol = 1e-5 * Math.sqrt(terms * p.qSeq() * p.qHeads() + 1) * Math.max(max, 1e-3);
            for (int i = 0; i < w.length; i++) {
                int at2 = i;
                assertTrue(Math.abs(w[i] - g[i]) <= tol, () -> at + name + "[" + at2 + "]: reference " + w[at2] + ", simd " + g[at2]
                        + " (tol " + tol + ")");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"DIRECT, 9, 5", "DIRECT, 40, 17", "DIRECT_AUTHORS, 30, 8", "GENERATOR, 20, 7", "GENERATOR, 45, 12",
            "COPULA, 20, 6", "COPULA_AUTHORS, 30, 8", "RBF, 20, 9",
            "STATIONARY, 30, 8", "STATIONARY_GENERATOR, 20, 7", "DROPOUT, 9, 5", "DROPOUT, 40, 17",
            "DROPOUT_COPULA, 20, 6"})
    void matchesTheReference(Kind kind, int maxSeq, int maxDim) {
        for (long seed = 1; seed <= 8; seed++) compare(kind, seed, maxSeq, maxDim, 0.05);
    }

    /**
     * Sequences of about a thousand keys: the backward recomputes the products and weights per block
     * of query rows from the recorded log-sum-exp, with masks, causal, lengths and dropout.
     */
    @ParameterizedTest
    @CsvSource({"DIRECT, 1100, 5", "GENERATOR, 900, 4", "DROPOUT, 1000, 5", "COPULA, 800, 4"})
    void longSequencesMatchTheReference(Kind kind, int maxSeq, int maxDim) {
        for (long seed = 21; seed <= 22; seed++) compare(kind, seed, maxSeq, maxDim, 0.05);
    }

    /** 6000 keys, where the old recording's two [L, L] float arrays took 288 MB per head. */
    @Test
    void aLongCausalSequenceHasTheGradientOfItsPrefix() {
        SplittableRandom r = new SplittableRandom(5);
        IkaOptions o = IkaOptions.builder().eps(0.05).build();
        CausalPrefix.check(PaperKernels.direct(r, 4, 2, 3, o), 6000, 300, 2, 1, 4, 3, 6);
        CausalPrefix.check(PaperKernels.direct(r, 3, 2, 2, o.toBuilder()
                .importanceDropout(dev.ika4j.api.kernel.ImportanceDropout.training(0.2, 9)).build()), 5000, 200, 2, 2, 3, 2, 7);
    }

    @ParameterizedTest
    @CsvSource({"DIRECT, 30, 8", "GENERATOR, 25, 6", "COPULA, 20, 6", "COPULA_AUTHORS, 33, 9"})
    void recordedForwardMatchesTheReferenceAndItsBackwardTheUnrecordedOne(Kind kind, int maxSeq, int maxDim) {
        for (long seed = 1; seed <= 6; seed++) {
            AttentionProblem shape = RandomProblems.randomProblem(seed, AttentionOptions.builder(), maxSeq, maxDim);
            AttentionKernel k = kernel(kind, shape, new SplittableRandom(seed), IkaOptions.DEFAULT_EPS);
            AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder().kernel(k), maxSeq, maxDim);
            AttentionOptions o = RandomProblems.optionsOf(p);
            Tensor kk = RandomProblems.slice(p.presentKey(), p.pastSeq(), p.kvSeq()), vv = RandomProblems.slice(p.presentValue(), p.pastSeq(), p.kvSeq());
            AttentionTraining t = SIMD.training();
            AttentionTraining.Recording rec = t.record(p.q(), kk, vv, o);
            var want = new ReferenceBackend().attention(p.q(), kk, vv, o);
            SimdTrainingTest.assertClose(kind + " seed " + seed + " output", want.output(), rec.result().output(), p.kvSeq());
            assertEquals(want.regularizer(), rec.result().regularizer(), 1e-9 * (1 + Math.abs(want.regularizer())));
            Tensor dOut = RandomProblems.random(new SplittableRandom(seed + 7), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
            AttentionGradients a = t.backward(rec, dOut, 0.3), b = SimdTraining.backward(p.q(), kk, vv, o, dOut, 0.3);
            // the same code path, but not bit-identical: the JIT's lane-wise log and exp (SVML) and the
            // interpreter's differ in the last bits
            SimdTrainingTest.assertClose("recorded dQ", b.dQ(), a.dQ(), p.kvSeq());
            SimdTrainingTest.assertClose("recorded dK", b.dK(), a.dK(), p.kvSeq());
            SimdTrainingTest.assertClose("recorded dV", b.dV(), a.dV(), p.kvSeq());
            assertEquals(b.dKernel().getClass(), a.dKernel().getClass());
            SimdTrainingTest.assertClose("recorded dKernel", b.dKernel(), a.dKernel(), p.kvSeq());
        }
    }

    @Test
    void everyKernelIsRecordedButNotWithEnergyOrScores() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor q = RandomProblems.random(r, 1, 2, 3, 4);
        AttentionTraining t = SIMD.training();
        SimdTrainingTest.assertClose("recorded standard output", SIMD.attention(q, q, q).output(),
                t.record(q, q, q, AttentionOptions.DEFAULT).result().output(), 3);
        AttentionOptions energy = AttentionOptions.builder().returnEnergy(true)
                .kernel(PaperKernels.direct(r, 4, 2, 3, IkaOptions.DEFAULT)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.record(q, q, q, energy));
        assertTrue(e.getMessage().contains("returnEnergy"), e.getMessage());
        AttentionOptions scores = AttentionOptions.builder().scoresOutput(dev.ika4j.api.ScoreStage.values()[0]).build();
        e = assertThrows(IllegalArgumentException.class, () -> t.record(q, q, q, scores));
        assertTrue(e.getMessage().contains("scoresOutput"), e.getMessage());
        AttentionTraining.Recording other = new ReferenceBackend().training().record(q, q, q, AttentionOptions.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> t.backward(other, q), "a recording of another training path");
    }

    @Test
    void authorsEpsilon() {
        // eps = 1e-5 makes log(kappa + eps) steep where kappa is small; float32 still follows
        for (long seed = 1; seed <= 6; seed++) compare(Kind.DIRECT_AUTHORS, seed, 30, 8, IkaOptions.DEFAULT_EPS);
    }

    @Test
    void linearTimeModeGradient() {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int s = 5 + r.nextInt(30), d = 3 + r.nextInt(6), h = 2;
            Tensor q = RandomProblems.random(r, 1, h, s, d), k = RandomProblems.random(r, 1, h, s, d), v = RandomProblems.random(r, 1, h, s, 4);
            IkaOptions lin = IkaOptions.builder().eps(0.05).linear(true).build();
            AttentionOptions o = AttentionOptions.builder().causal(true).kernel(PaperKernels.direct(r, d, h, 8, lin)).build();
            Tensor dOut = RandomProblems.random(r, 1, h, s, 4);
            AttentionGradients want = Train.gradients(new ReferenceBackend(), q, k, v, o, dOut);
            AttentionGradients got = Train.gradients(SIMD, q, k, v, o, dOut);
            SimdTrainingTest.assertClose("linear dQ", want.dQ(), got.dQ(), s * 8);
            SimdTrainingTest.assertClose("linear dK", want.dK(), got.dK(), s * 8);
        }
    }
}
