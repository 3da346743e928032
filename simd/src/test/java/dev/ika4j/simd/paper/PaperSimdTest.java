/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.reference.KernelFactors;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.PaperCases;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import dev.ika4j.testkit.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every paper kernel on the simd backend against the float64 reference, over many shapes and options. */
class PaperSimdTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));

    @AfterAll
    static void close() {
        SIMD.close();
    }

    private static void compare(Scenario s, AttentionKernel kernel, double[] worst) {
        Scenario.Inputs in = s.inputs();
        AttentionOptions o = in.options().toBuilder().kernel(kernel).build();
        AttentionResult expected = REF.attention(in.q(), in.k(), in.v(), o);
        AttentionResult actual = SIMD.attention(in.q(), in.k(), in.v(), o);
        String what = s + " " + kernel.name() + " " + (kernel instanceof RbfImportanceKernel rk ? "p=" + rk.p() : "");
        double vMax = Math.max(1e-30, Compare.maxAbs(expected.presentValue()));
        // Float32 phases and dots put errors of about 1e-5 on the weights (8e-6 x max|v| measured).
        double err = Compare.assertClose(what + ": output", expected.output(), actual.output(), 1e-4 * vMax);
        worst[0] = Math.max(worst[0], err / vMax);
        if (expected.energy() != null) worst[1] = Math.max(worst[1], compareEnergy(what, in, o, expected.energy(), actual.energy()));
        // The reference derives W and the regulariser on its own (float64, other formulations): equal to rounding.
        assertEquals(expected.regularizer(), actual.regularizer(), 1e-12 * (1 + Math.abs(expected.regularizer())), what + ": regularizer");
    }

    /**
     * Energies agree to float32 rounding of the logit, except that log(kappa + eps) amplifies the
     * absolute error of s = phiQ . phiK (about 1e-6 from float32 phases) by up to 2 / sqrt(kappa + eps),
     * so each entry's tolerance includes that conditioning, read from the reference's factors.
     */
    private static double compareEnergy(String what, Scenario.Inputs in, AttentionOptions o, Tensor expected, Tensor actual) {
        Tensor logK = o.kernel() instanceof RbfImportanceKernel ? null : KernelFactors.of(in.q(), in.k(), o).logKernel();
        double eMax = Compare.maxAbs(expected), worst = 0;
        Compare.assertSameShape(what + ": energy", expected, actual);
        for (int b = 0; b < expected.batch(); b++)
            for (int h = 0; h < expected.heads(); h++)
                for (int i = 0; i < expected.seq(); i++)
                    for (int j = 0; j < expected.dim(); j++) {
                        float e = expected.get(b, h, i, j), a = actual.get(b, h, i, j);
                        if (!Float.isFinite(e)) {
                            assertEquals(e, a, what + ": energy at " + b + "," + h + "," + i + "," + j);
                            continue;
                        }
                        double cond = logK == null ? 0 : 2e-6 / Math.sqrt(Math.exp(logK.get(b, h, i, j)));
                        double tol = 2e-3 + 2e-6 * eMax + cond;
                        assertEquals(e, a, tol, what + ": energy at " + b + "," + h + "," + i + "," + j);
                        worst = Math.max(worst, Math.abs(e - a) / tol);
                    }
        return worst;
    }

    @Test
    void everyKernelMatchesTheReference() {
        double[] worst = new double[2];
        for (Scenario s : PaperCases.scenarios(45, false)) for (AttentionKernel k : PaperCases.kernels(s, false)) compare(s, k, worst);
        System.out.printf("paper kernels simd vs reference: worst output error %.3g x max|v|, worst energy error %.3g of its tolerance%n", worst[0], worst[1]);
    }

    /** Section 6 against the reference's quadratic form: causal, lengths, a past cache, GQA; no mask. */
    @Test
    void linearModeMatchesTheQuadraticForm() {
        double[] worst = new double[2];
        for (Scenario s : PaperCases.scenarios(40, true)) for (AttentionKernel k : PaperCases.kernels(s, true)) compare(s, k, worst);
        System.out.printf("linear mode vs quadratic reference: worst output error %.3g x max|v|%n", worst[0]);
    }

    /** Long sequences cross several of the linear form's key chunks and the quadratic form's key blocks. */
    @Test
    void longSequences() {
        double[] worst = new double[2];
        Scenario causal = new Scenario("long-causal", 77, 1, 2, 1, 300, 300, 0, 16, 8, RandomInputs.Storage.HEAP, null, true,
                Scenario.MaskKind.NONE, 1, RandomInputs.LastDim.FULL, 0, false, false);
        Scenario decode = new Scenario("long-past-lengths", 78, 2, 2, 2, 5, 140, 133, 8, 8, RandomInputs.Storage.HEAP, null, true,
                Scenario.MaskKind.NONE, 1, RandomInputs.LastDim.FULL, 0, true, false);
        Scenario wide = new Scenario("long-gqa-noncausal", 79, 1, 4, 2, 150, 201, 0, 12, 5, RandomInputs.Storage.PACKED, null, false,
                Scenario.MaskKind.NONE, 1, RandomInputs.LastDim.FULL, 0, false, false);
        for (Scenario s : List.of(causal, decode, wide)) {
            for (AttentionKernel k : PaperCases.kernels(s, true)) compare(s, k, worst);
            for (AttentionKernel k : PaperCases.kernels(s, false)) compare(s, k, worst);
        }
    }

    /** p = 2 with the default tau is standard attention on this backend too. */
    @Test
    void standardFormEqualsStandardKernel() {
        for (Scenario s : PaperCases.scenarios(25, false)) {
            Scenario.Inputs in = s.inputs();
            AttentionResult std = SIMD.attention(in.q(), in.k(), in.v(), in.options());
            AttentionResult rbf = SIMD.attention(in.q(), in.k(), in.v(), in.options().toBuilder().kernel(RbfImportanceKernel.standardForm()).build());
            Compare.assertClose(s + ": output", std.output(), rbf.output(), 2e-6 * Math.max(1e-30, Compare.maxAbs(in.v())));
        }
    }

    /** Fixed noise: both backends draw nothing and generate the same W, so they agree like the direct kernel. */
    @Test
    void fixedNoiseGivesTheSameResultOnBothBackends() {
        Scenario s = PaperCases.scenarios(3, false).get(2);
        for (AttentionKernel k : PaperCases.kernels(s, false)) {
            Scenario.Inputs in = s.inputs();
            AttentionOptions o = in.options().toBuilder().kernel(k).build();
            AttentionResult a = SIMD.attention(in.q(), in.k(), in.v(), o), b = SIMD.attention(in.q(), in.k(), in.v(), o);
            Compare.assertIdentical(k.name() + " repeats exactly", a.output(), b.output());
            assertEquals(a.regularizer(), b.regularizer(), 0.0, k.name() + " regularizer repeats exactly");
            compare(s, k, new double[2]);
        }
    }

    /** Importances far beyond exp's range: the exact result is finite, and so is ours, in both forms. */
    @Test
    void largeNormsStayFinite() {
        PaperKernels pk = new PaperKernels(5);
        RandomInputs r = pk.random();
        int d = 16, len = 70;
        float[] big = r.gaussians(2 * len * d);
        for (int i = 0; i < big.length; i++) big[i] *= 300f;
        Tensor q = Tensor.bhsd(big.clone(), 1, 2, len, d), k = Tensor.bhsd(big, 1, 2, len, d), v = r.tensor(1, 2, len, 4);
        List<AttentionKernel> kernels = List.of(RbfImportanceKernel.standardForm(), RbfImportanceKernel.lp(3),
                pk.direct(d, 2, 8, 0.01, IkaOptions.DEFAULT), pk.direct(d, 2, 8, 0.01, IkaOptions.builder().linear(true).build()),
                pk.direct(d, 2, 8, 0.01, IkaOptions.builder().preset(Preset.AUTHORS).p(1.8).linear(true).build()));
        for (AttentionKernel kernel : kernels) {
            for (boolean causal : new boolean[] {false, true}) {
                if (causal && kernel instanceof dev.ika4j.api.kernel.CopulaKernel) continue; // refused: pools the sequence
                AttentionOptions o = AttentionOptions.builder().kernel(kernel).causal(causal).build();
                AttentionResult res = SIMD.attention(q, k, v, o);
                for (float x : res.output().toArray()) assertTrue(Float.isFinite(x), kernel.name() + " causal=" + causal + " gave " + x);
                Compare.assertClose(kernel.name() + " causal=" + causal, REF.attention(q, k, v, o).output(), res.output(),
                        2e-3 * Compare.maxAbs(v));
            }
        }
    }

    /**
     * Inputs in a thread-confined segment may be touched by their owner thread only: every paper
     * kernel (each stage of it, the per-call precompute included) must then stay on the calling
     * thread, and give the same bits as with heap inputs. Enough heads and rows that the pool's
     * second thread would otherwise take tasks.
     */
    @Test
    void threadConfinedSegmentsStayOnTheCallingThread() {
        PaperKernels pk = new PaperKernels(11);
        RandomInputs r = pk.random();
        int b = 2, h = 4, kvh = 2, len = 300, d = 16;
        Tensor q = r.tensor(b, h, len, d), k = r.tensor(b, kvh, len, d), v = r.tensor(b, kvh, len, d);
        List<AttentionKernel> kernels = List.of(RbfImportanceKernel.standardForm(), RbfImportanceKernel.lp(3),
                pk.direct(d, h, 8, 0.5, IkaOptions.DEFAULT), pk.direct(d, h, 8, 0.5, IkaOptions.builder().linear(true).build()),
                pk.generatorKernel(d, h, 8, pk.generatorNoise(d, h, 8), IkaOptions.DEFAULT),
                pk.copulaKernel(d, 8, pk.copulaNoise(b, d, h, 8), IkaOptions.DEFAULT));
        for (AttentionKernel kernel : kernels) {
            for (boolean causal : new boolean[] {false, true}) {
                if (causal && kernel instanceof dev.ika4j.api.kernel.CopulaKernel) continue; // refused: pools the sequence
                AttentionOptions o = AttentionOptions.builder().kernel(kernel).causal(causal).build();
                Tensor heap = SIMD.attention(q, k, v, o).output();
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    Tensor seg = SIMD.attention(segment(arena, q), segment(arena, k), segment(arena, v), o).output();
                    Compare.assertIdentical(kernel.name() + " causal=" + causal + " on a confined segment", heap, seg);
                }
            }
        }
    }

    private static Tensor segment(java.lang.foreign.Arena arena, Tensor t) {
        float[] a = t.toArray();
        java.lang.foreign.MemorySegment s = arena.allocate((long) a.length * Float.BYTES, 64);
        java.lang.foreign.MemorySegment.copy(a, 0, s, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, a.length);
        return Tensor.bhsd(s, dev.ika4j.api.DType.FLOAT32, t.batch(), t.heads(), t.seq(), t.dim());
    }
}
