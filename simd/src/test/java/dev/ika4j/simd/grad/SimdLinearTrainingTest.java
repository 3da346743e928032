/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.Train;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The linear-time mode's O(L) backward ({@link LinearSpectralBackward}) against the float64
 * reference's gradient (the quadratic one: the mode computes the same function), on random shapes
 * with causal, kvLengths, GQA and past caches (the mode refuses masks), sizes from 1, and
 * sequences of several chunks; with a small tau the key importances spread over several nats and
 * grow along the sequence, so the running rescaling of S and R is exercised.
 */
class SimdLinearTrainingTest {
    enum Kind { DIRECT, DIRECT_SHARP, GENERATOR, COPULA }

    static AttentionKernel kernel(Kind kind, AttentionProblem s, SplittableRandom r, int m) {
        IkaOptions o = IkaOptions.builder().p(1.5 + r.nextDouble() * 1.5).eps(0.05).linear(true).build();
        return switch (kind) {
            case DIRECT -> PaperKernels.direct(r, s.dim(), s.qHeads(), m, o);
            case DIRECT_SHARP -> PaperKernels.direct(r, s.dim(), s.qHeads(), m, o.toBuilder().tau(0.25).build());
            case GENERATOR -> PaperKernels.generatorKernel(r, s.dim(), s.qHeads(), m, o);
            case COPULA -> PaperKernels.copula(r, s.batch(), s.dim(), s.qHeads(), 2 * m, o);
        };
    }

    static void compare(Kind kind, long seed, int maxSeq, int maxDim, int maxM) {
        AttentionProblem shape = RandomProblems.randomProblem(seed, AttentionOptions.builder(), maxSeq, maxDim);
        SplittableRandom r = new SplittableRandom(seed);
        AttentionKernel k = kernel(kind, shape, r, 1 + r.nextInt(maxM));
        AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder().kernel(k), maxSeq, maxDim);
        AttentionOptions o = RandomProblems.optionsOf(p).toBuilder().mask(null).build();
        Tensor kk = RandomProblems.slice(p.presentKey(), p.pastSeq(), p.kvSeq()), vv = RandomProblems.slice(p.presentValue(), p.pastSeq(), p.kvSeq());
        Tensor dOut = RandomProblems.random(new SplittableRandom(seed + 1), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        double dReg = kind == Kind.COPULA ? 0.5 : 0.0;
        AttentionGradients want = Train.gradients(new ReferenceBackend(), p.q(), kk, vv, o, dOut, dReg);
        AttentionTraining t = SimdSpectralTrainingTest.SIMD.training();
        AttentionTraining.Recording rec = t.record(p.q(), kk, vv, o);
        AttentionGradients got = t.backward(rec, dOut, dReg);
        // without a recording the output is recomputed from S instead of read
        AttentionGradients fresh = SimdTraining.backward(p.q(), kk, vv, o, dOut, dReg);
        String at = kind + " seed " + seed + " " + p.q().shapeString() + " kv " + p.kvSeq() + " causal " + o.causal() + ": ";
        int terms = p.kvSeq() * 8;
        for (AttentionGradients g : new AttentionGradients[] {got, fresh}) {
            String w = at + (g == got ? "recorded: " : "fresh: ");
            SimdTrainingTest.assertClose(w + "dQ", want.dQ(), g.dQ(), terms);
            SimdTrainingTest.assertClose(w + "dK", want.dK(), g.dK(), terms);
            SimdTrainingTest.assertClose(w + "dV", want.dV(), g.dV(), p.qSeq() * p.group());
            SimdTrainingTest.assertClose(w + "dPastKey", want.dPastKey(), g.dPastKey(), terms);
            SimdTrainingTest.assertClose(w + "dPastValue", want.dPastValue(), g.dPastValue(), p.qSeq() * p.group());
            assertEquals(want.dKernel().getClass(), g.dKernel().getClass(), at + "the gradient's kernel type");
            assertKernelClose(w, want.dKernel().tensors(), g.dKernel().tensors(), terms * p.qSeq() * p.qHeads());
        }
    }

    /**
     * Every parameter tensor against the largest entry of all of them: a generator's output bias can
     * have a structurally zero gradient, whose float32 sum is noise at the scale of the others.
     */
    static void assertKernelClose(String at, List<ParamTensor> want, List<ParamTensor> got, int terms) {
        assertEquals(want.size(), got.size(), at + "parameter tensors");
        double max = 1e-3;
        for (ParamTensor t : want) for (double x : t.toArray()) max = Math.max(max, Math.abs(x));
        double tol = 1e-5 * Math.sqrt(terms + 1) * max;
        for (int t = 0; t < want.size(); t++) {
            assertEquals(want.get(t).shapeString(), got.get(t).shapeString(), at + "tensor " + t);
            double[] w = want.get(t).toArray(), g = got.get(t).toArray();
            for (int i = 0; i < w.length; i++) {
                int ti = t, ii = i;
                assertTrue(Math.abs(w[i] - g[i]) <= tol, () -> at + "tensor " + ti + "[" + ii + "]: reference " + w[ii] + ", simd "
                        + g[ii] + " (tol " + tol + ")");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"DIRECT, 9, 5, 6", "DIRECT, 40, 17, 12", "DIRECT_SHARP, 30, 8, 6", "GENERATOR, 20, 7, 8", "COPULA, 20, 6, 5"})
    void matchesTheReference(Kind kind, int maxSeq, int maxDim, int maxM) {
        for (long seed = 1; seed <= 8; seed++) compare(kind, seed, maxSeq, maxDim, maxM);
    }

    /** Sequences of several key chunks and query blocks, where groups of queries end in every chunk. */
    @ParameterizedTest
    @CsvSource({"DIRECT, 300, 9, 4", "DIRECT, 140, 4, 2", "DIRECT_SHARP, 260, 6, 3", "GENERATOR, 200, 5, 3", "COPULA, 160, 5, 3"})
    void longSequencesMatchTheReference(Kind kind, int maxSeq, int maxDim, int maxM) {
        for (long seed = 11; seed <= 14; seed++) compare(kind, seed, maxSeq, maxDim, maxM);
    }

    /** 20000 keys: the quadratic backward the linear mode shared would have needed two [L, L] arrays of 1.6 GB. */
    @org.junit.jupiter.api.Test
    void aLongCausalSequenceHasTheGradientOfItsPrefix() {
        SplittableRandom r = new SplittableRandom(8);
        IkaOptions o = IkaOptions.builder().eps(0.05).linear(true).build();
        CausalPrefix.check(PaperKernels.direct(r, 4, 2, 3, o), 20000, 300, 2, 1, 4, 3, 9);
    }
}
