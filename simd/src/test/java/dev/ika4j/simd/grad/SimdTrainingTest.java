/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.ika4j.testkit.Train;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.testkit.Compare;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The simd backward against the float64 reference backward on many shapes and options. */
class SimdTrainingTest {
    static final dev.ika4j.simd.SimdBackend SIMD = new dev.ika4j.simd.SimdBackend(dev.ika4j.api.BackendConfig.defaults().withThreads(1));


    /** Every tensor of two kernel gradients of one type, as {@link #assertClose(String, Tensor, Tensor, int)}. */
    static void assertClose(String what, dev.ika4j.api.KernelGradient want, dev.ika4j.api.KernelGradient got, int terms) {
        var w = want.tensors();
        var g = got.tensors();
        assertEquals(w.size(), g.size(), what + " tensor count");
        for (int t = 0; t < w.size(); t++) {
            float[] a = toFloat(w.get(t).toArray()), b = toFloat(g.get(t).toArray());
            assertClose(what + " tensor " + t, Tensor.bhsd(a, 1, 1, 1, a.length), Tensor.bhsd(b, 1, 1, 1, b.length), terms);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** The kit's {@link Compare#assertClose} with a tolerance that grows with the terms summed over. */
    static void assertClose(String what, Tensor want, Tensor got, int terms) {
        if (want == null) {
            assertEquals(null, got, what);
            return;
        }
        Compare.assertClose(what, want, got, 1e-5 * Math.sqrt(terms + 1) * Math.max(Compare.maxAbs(want), 1e-3));
    }

    static void compare(AttentionProblem p, long seed) {
        AttentionOptions o = RandomProblems.optionsOf(p);
        Tensor k = RandomProblems.slice(p.presentKey(), p.pastSeq(), p.kvSeq());
        Tensor v = RandomProblems.slice(p.presentValue(), p.pastSeq(), p.kvSeq());
        Tensor dOut = RandomProblems.random(new SplittableRandom(seed), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        AttentionGradients want = Train.gradients(new ReferenceBackend(), p.q(), k, v, o, dOut);
        AttentionGradients got = Train.gradients(SIMD, p.q(), k, v, o, dOut);
        String at = "seed " + seed + " " + p.q().shapeString() + " kv " + p.kvSeq() + " " + o + ": ";
        assertClose(at + "dQ", want.dQ(), got.dQ(), p.kvSeq());
        assertClose(at + "dK", want.dK(), got.dK(), p.qSeq() * p.group());
        assertClose(at + "dV", want.dV(), got.dV(), p.qSeq() * p.group());
        assertClose(at + "dPastKey", want.dPastKey(), got.dPastKey(), p.qSeq() * p.group());
        assertClose(at + "dPastValue", want.dPastValue(), got.dPastValue(), p.qSeq() * p.group());
    }

    @ParameterizedTest
    @CsvSource({"5, 5", "17, 9", "40, 33", "70, 64"})
    void matchesTheReferenceOnRandomProblems(int maxSeq, int maxDim) {
        for (long seed = 1; seed <= 25; seed++) {
            compare(RandomProblems.randomProblem(seed * 7 + maxSeq, AttentionOptions.builder(), maxSeq, maxDim), seed);
        }
    }

    /** Sections 1 and 2 (RBF times L^p importance): the simd backward in float32 as standard attention with a per-key term. */
    @ParameterizedTest
    @CsvSource({"1, 17, 9", "2, 17, 9", "3, 40, 33", "Infinity, 17, 9", "2, 70, 64"})
    void rbfKernelsMatchTheReference(double norm, int maxSeq, int maxDim) {
        for (long seed = 1; seed <= 15; seed++) {
            AttentionOptions.Builder b = AttentionOptions.builder()
                    .kernel(norm == 2 && seed % 2 == 0 ? dev.ika4j.api.kernel.RbfImportanceKernel.standardForm()
                            : dev.ika4j.api.kernel.RbfImportanceKernel.lp(norm));
            compare(RandomProblems.randomProblem(seed * 11 + maxSeq, b, maxSeq, maxDim), seed);
        }
    }

    @Test
    void longSequencePackedLayout() {
        SplittableRandom r = new SplittableRandom(3);
        int seq = 613, heads = 4, dim = 16;
        float[] a = new float[seq * heads * dim], b = new float[seq * heads * dim], c = new float[seq * heads * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
            c[i] = (float) r.nextGaussian();
        }
        Tensor q = Tensor.bshd(a, 1, seq, heads, dim), k = Tensor.bshd(b, 1, seq, heads, dim), v = Tensor.bshd(c, 1, seq, heads, dim);
        AttentionOptions o = AttentionOptions.builder().causal(true).build();
        Tensor dOut = RandomProblems.random(r, 1, heads, seq, dim);
        AttentionGradients want = Train.gradients(new ReferenceBackend(), q, k, v, o, dOut);
        AttentionGradients got = Train.gradients(SIMD, q, k, v, o, dOut);
        assertEquals(Tensor.Layout.BSHD, got.dQ().layout());
        assertClose("dQ", want.dQ(), got.dQ(), seq);
        assertClose("dK", want.dK(), got.dK(), seq);
        assertClose("dV", want.dV(), got.dV(), seq);
    }

    @Test
    void theBackendGivesItsTrainingPathAndOneWithoutSaysSo() {
        assertInstanceOf(SimdTraining.class, SIMD.training());
        assertEquals("simd", SIMD.training().name());
        assertEquals("reference", new ReferenceBackend().training().name());
        AttentionBackend none = new AttentionBackend() {
            public String name() { return "elsewhere"; }
            public java.util.Map<String, String> properties() { return java.util.Map.of(); }
            public dev.ika4j.api.AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionOptions o) { throw new AssertionError(); }
            public dev.ika4j.api.Support supports(Tensor q, Tensor k, Tensor v, AttentionOptions o) { throw new AssertionError(); }
            public dev.ika4j.api.ResidentTensor allocate(int b, int h, int s, int d) { throw new AssertionError(); }
            public dev.ika4j.api.ResidentTensor upload(Tensor t) { throw new AssertionError(); }
            public void download(dev.ika4j.api.ResidentTensor s, Tensor t) { throw new AssertionError(); }
            public void attention(dev.ika4j.api.ResidentTensor q, dev.ika4j.api.ResidentTensor k, dev.ika4j.api.ResidentTensor v,
                                  AttentionOptions o, dev.ika4j.api.ResidentTensor out) { throw new AssertionError(); }
            public void close() {}
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, none::training);
        assertTrue(e.getMessage().contains("'elsewhere'"), e.getMessage());
    }

    @Test
    void rejectsAMisshapenDOut() {
        SplittableRandom r = new SplittableRandom(9);
        Tensor q = RandomProblems.random(r, 1, 2, 3, 4), k = RandomProblems.random(r, 1, 2, 5, 4), v = RandomProblems.random(r, 1, 2, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Train.gradients(SIMD, q, k, v, AttentionOptions.DEFAULT, RandomProblems.random(r, 1, 2, 4, 2)));
        assertTrue(e.getMessage().contains("dOut"), e.getMessage());
    }
}
