/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.reference.KernelFactors;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import dev.ika4j.testkit.Scenario;
import dev.ika4j.testkit.PaperCases;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every paper kernel on the cuda backend against the float64 reference, with the tolerances the
 * simd backend's tests use for them (output 1e-4 x max|v|; energy 2e-3 + 2e-6 x max|energy| plus
 * the conditioning of log(kappa + eps)), over the standard scenarios (size 1, primes, odd head
 * dims, GQA, masks of every rank, causal, lengths, past caches), on the default backend and on one
 * whose tiny score budget forces many query blocks. GPU only: skipped with the provider's reason
 * elsewhere.
 */
class CudaPaperKernelsTest {
    private static CudaBackend gpu;
    private static CudaBackend blocked;
    private static final ReferenceBackend REF = new ReferenceBackend();

    @BeforeAll
    static void open() {
        if (!Gpu.availability().available()) return;
        gpu = Gpu.open();
        blocked = Gpu.open(BackendConfig.defaults().withScoreBudgetBytes(4096).withCudaPath(BackendConfig.CudaPath.GEMM));
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (blocked != null) blocked.close();
    }

    private static double compare(CudaBackend be, Scenario s, AttentionKernel kernel) {
        Scenario.Inputs in = s.inputs();
        AttentionOptions o = in.options().toBuilder().kernel(kernel).build();
        return compare(be, in, o, s + " " + kernel.name() + " on " + be);
    }

    /** Returns the output's error in units of max|v|. */
    private static double compare(CudaBackend be, Scenario.Inputs in, AttentionOptions o, String what) {
        AttentionResult expected = REF.attention(in.q(), in.k(), in.v(), o);
        AttentionResult actual = be.attention(in.q(), in.k(), in.v(), o);
        double vMax = Math.max(1e-30, Compare.maxAbs(expected.presentValue()));
        double err = Compare.assertClose(what + ": output", expected.output(), actual.output(), 1e-4 * vMax);
        if (expected.energy() != null) compareEnergy(what, in, o, expected.energy(), actual.energy());
        // The reference derives W and the regulariser on its own (float64, other formulations): equal to rounding.
        assertEquals(expected.regularizer(), actual.regularizer(), 1e-12 * (1 + Math.abs(expected.regularizer())), what + ": regularizer");
        assertTrue(expected.presentKey().contentEquals(actual.presentKey()), what + ": presentKey");
        return err / vMax;
    }

    /**
     * Energies agree to float32 rounding of the logit, except that log(kappa + eps) amplifies the
     * absolute error of phiQ . phiK (about 1e-6) by up to 2 / sqrt(kappa + eps), read from the
     * reference's factors, as in the simd backend's test.
     */
    private static void compareEnergy(String what, Scenario.Inputs in, AttentionOptions o, Tensor expected, Tensor actual) {
        Tensor logK = o.kernel() instanceof RbfImportanceKernel ? null : KernelFactors.of(in.q(), in.k(), o).logKernel();
        double eMax = Compare.maxAbs(expected);
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
                        assertEquals(e, a, 2e-3 + 2e-6 * eMax + cond, what + ": energy at " + b + "," + h + "," + i + "," + j);
                    }
    }

    @Test
    void everyKernelMatchesTheReference() {
        Gpu.assume();
        double worst = 0;
        List<Scenario> all = PaperCases.scenarios(45, false);
        for (Scenario s : all) for (AttentionKernel k : PaperCases.kernels(s, false)) worst = Math.max(worst, compare(gpu, s, k));
        for (Scenario s : all.subList(0, 15)) for (AttentionKernel k : PaperCases.kernels(s, false)) compare(blocked, s, k);
        System.out.printf("paper kernels cuda vs reference: worst output error %.3g x max|v|%n", worst);
    }

    /** Section 6 (computed here through the quadratic form) against the reference: causal, lengths, past, GQA; no mask. */
    @Test
    void linearModeMatchesTheReference() {
        Gpu.assume();
        for (Scenario s : PaperCases.scenarios(40, true)) for (AttentionKernel k : PaperCases.kernels(s, true)) compare(gpu, s, k);
    }

    /** Longer rows: several query blocks on the default backend too, odd lengths, causal decode with a long past. */
    @Test
    void longSequences() {
        Gpu.assume();
        Scenario causal = new Scenario("long-causal", 77, 1, 2, 1, 300, 300, 0, 16, 8, RandomInputs.Storage.HEAP, null, true,
                Scenario.MaskKind.NONE, 1, RandomInputs.LastDim.FULL, 0, false, false);
        Scenario decode = new Scenario("long-past-lengths", 78, 2, 2, 2, 5, 140, 133, 8, 8, RandomInputs.Storage.HEAP, null, true,
                Scenario.MaskKind.NONE, 1, RandomInputs.LastDim.FULL, 0, true, false);
        Scenario wide = new Scenario("long-gqa-noncausal", 79, 1, 4, 2, 150, 201, 0, 12, 5, RandomInputs.Storage.PACKED, null, false,
                Scenario.MaskKind.NONE, 1, RandomInputs.LastDim.FULL, 0, false, false);
        Scenario d128 = new Scenario("long-d128-mask", 80, 1, 2, 2, 70, 517, 0, 128, 64, RandomInputs.Storage.HEAP, null, false,
                Scenario.MaskKind.BOOL, 2, RandomInputs.LastDim.FULL, 0, true, true);
        for (Scenario s : List.of(causal, decode, wide, d128)) {
            for (AttentionKernel k : PaperCases.kernels(s, false)) compare(gpu, s, k);
            if (s.mask() == Scenario.MaskKind.NONE) for (AttentionKernel k : PaperCases.kernels(s, true)) compare(gpu, s, k);
        }
    }

    /** p = 2 with the default tau is standard attention on this backend too. */
    @Test
    void standardFormEqualsStandardKernel() {
        Gpu.assume();
        for (Scenario s : PaperCases.scenarios(25, false)) {
            Scenario.Inputs in = s.inputs();
            AttentionOptions o = in.options().toBuilder().returnEnergy(false).build();
            AttentionResult std = blocked.attention(in.q(), in.k(), in.v(), o);
            AttentionResult rbf = gpu.attention(in.q(), in.k(), in.v(), o.toBuilder().kernel(RbfImportanceKernel.standardForm()).build());
            Compare.assertClose(s + ": output", std.output(), rbf.output(), Gpu.outputTolerance(in.q(), std.presentKey(), std.presentValue(), o));
        }
    }

    /**
     * Seeded kernels draw their noise with cuRAND Philox: an inference-mode kernel repeats exactly;
     * a training-mode one takes draw 0, then draw 1; each call equals the reference given the noise
     * the device drew.
     */
    @Test
    void seededNoiseComesFromCurandAndMatchesTheReferenceGivenIt() {
        Gpu.assume();
        Scenario s = PaperCases.scenarios(6, false).get(5);   // past, causal, lengths, bool mask, energy
        Scenario.Inputs in = s.inputs();
        PaperKernels pk = new PaperKernels(41);
        int d = s.dim(), h = s.qHeads(), m = 6;
        IkaOptions o = IkaOptions.builder().p(2.5).build();
        for (NoiseSource.Mode mode : NoiseSource.Mode.values()) {
            IkaGeneratorKernel gen = pk.generatorKernel(d, h, m, NoiseSource.seeded(1234, mode), o);
            CopulaKernel cop = pk.copulaKernel(d, m, NoiseSource.seeded(99, mode), o.toBuilder().preset(Preset.AUTHORS).build());
            for (AttentionKernel k : List.<AttentionKernel>of(gen, cop)) {
                AttentionOptions opts = in.options().toBuilder().kernel(k).build();
                AttentionResult first = gpu.attention(in.q(), in.k(), in.v(), opts);
                AttentionResult second = gpu.attention(in.q(), in.k(), in.v(), opts);
                int[] shape = k instanceof CopulaKernel ? new int[] {s.batch(), d, h, m} : new int[] {d, h, m};
                long seed = k instanceof CopulaKernel ? 99 : 1234;
                ParamTensor z0 = gpu.paper().drawNormalLocked(seed, 0, shape);
                ParamTensor z1 = gpu.paper().drawNormalLocked(seed, 1, shape);
                assertFalse(z0.equals(z1), "draws 0 and 1 differ");
                AttentionResult ref0 = REF.attention(in.q(), in.k(), in.v(), in.options().toBuilder().kernel(withNoise(k, z0)).build());
                String what = k.name() + " seeded " + mode;
                double tol = 1e-4 * Compare.maxAbs(in.v());
                Compare.assertClose(what + " first call = reference with draw 0", ref0.output(), first.output(), tol);
                if (mode == NoiseSource.Mode.INFERENCE) {
                    Compare.assertIdentical(what + " repeats", first.output(), second.output());
                } else {
                    AttentionResult ref1 = REF.attention(in.q(), in.k(), in.v(), in.options().toBuilder().kernel(withNoise(k, z1)).build());
                    Compare.assertClose(what + " second call = reference with draw 1", ref1.output(), second.output(), tol);
                    assertFalse(first.output().contentEquals(second.output()), what + ": a fresh draw per call");
                }
            }
        }
        double[] z = gpu.paper().drawNormalLocked(5, 0, 64, 8, 65).toArray();
        double mean = 0, var = 0;
        for (double x : z) mean += x / z.length;
        for (double x : z) var += (x - mean) * (x - mean) / (z.length - 1);
        assertEquals(0, mean, 5 / Math.sqrt(z.length), "mean of the draws");
        assertEquals(1, var, 0.05, "variance of the draws");
    }

    private static AttentionKernel withNoise(AttentionKernel k, ParamTensor z) {
        return switch (k) {
            case IkaGeneratorKernel g -> g.withNoise(NoiseSource.fixed(z));
            case CopulaKernel c -> c.withNoise(NoiseSource.fixed(z));
            default -> throw new IllegalArgumentException(k.name());
        };
    }

    /** Resident tensors give what the host form gives (the copula pools its means on the device there). */
    @Test
    void residentCallsMatchHostCalls() {
        Gpu.assume();
        for (Scenario full : PaperCases.scenarios(20, false)) {
            Scenario s = full.forResident();
            Scenario.Inputs in = s.inputs();
            Tensor q = in.q().copy(), k = in.k().copy(), v = in.v().copy();
            for (AttentionKernel kernel : PaperCases.kernels(s, false)) {
                AttentionOptions o = in.options().toBuilder().kernel(kernel).build();
                AttentionResult host = gpu.attention(q, k, v, o);
                Tensor got = Tensor.zerosBhsd(s.batch(), s.qHeads(), s.qSeq(), s.vDim());
                try (ResidentTensor rq = gpu.upload(q); ResidentTensor rk = gpu.upload(k); ResidentTensor rv = gpu.upload(v);
                     ResidentTensor ro = gpu.allocate(s.batch(), s.qHeads(), s.qSeq(), s.vDim())) {
                    gpu.attention(rq, rk, rv, o, ro);
                    gpu.download(ro, got);
                }
                Compare.assertClose(s + " " + kernel.name() + " resident", host.output(), got, 1e-5 * Math.max(1e-30, Compare.maxAbs(v)));
            }
        }
    }

    /** Importances far beyond exp's range: the exact result is finite, and so is ours. */
    @Test
    void largeNormsStayFinite() {
        Gpu.assume();
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
                AttentionOptions o = AttentionOptions.builder().kernel(kernel).causal(causal).build();
                AttentionResult res = gpu.attention(q, k, v, o);
                for (float x : res.output().toArray()) assertTrue(Float.isFinite(x), kernel.name() + " causal=" + causal + " gave " + x);
                Compare.assertClose(kernel.name() + " causal=" + causal, REF.attention(q, k, v, o).output(), res.output(),
                        2e-3 * Compare.maxAbs(v));
            }
        }
    }

    /** The backend rejects what the reference rejects, on both call forms. */
    @Test
    void rejectsBadCalls() {
        Gpu.assume();
        Scenario s = PaperCases.scenarios(3, false).get(2);
        Scenario.Inputs in = s.inputs();
        AttentionOptions softcap = in.options().toBuilder().kernel(RbfImportanceKernel.lp(3)).softcap(2f).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpu.attention(in.q(), in.k(), in.v(), softcap));
        assertTrue(e.getMessage().contains("softcap"), e.getMessage());
        AttentionOptions linearEnergy = in.options().toBuilder().returnEnergy(true)
                .kernel(new PaperKernels(2).direct(s.dim(), s.qHeads(), 3, 1, IkaOptions.builder().linear(true).build())).build();
        assertThrows(IllegalArgumentException.class, () -> gpu.attention(in.q(), in.k(), in.v(), linearEnergy));
        try (ResidentTensor rq = gpu.upload(in.q()); ResidentTensor rk = gpu.upload(in.k()); ResidentTensor rv = gpu.upload(in.v());
             ResidentTensor ro = gpu.allocate(s.batch(), s.qHeads(), s.qSeq(), s.vDim())) {
            AttentionOptions wrongHeads = AttentionOptions.builder()
                    .kernel(new PaperKernels(2).direct(s.dim(), s.qHeads() + 1, 3, 1, IkaOptions.DEFAULT)).build();
            assertThrows(IllegalArgumentException.class, () -> gpu.attention(rq, rk, rv, wrongHeads, ro));
        }
        // Still usable afterwards.
        compare(gpu, s, RbfImportanceKernel.lp(2.5));
    }
}
