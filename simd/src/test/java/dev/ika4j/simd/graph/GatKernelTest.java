/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.KernelGradient;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.GatKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.reference.ReferenceBackward;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.Train;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GAT's score in both forms: simd against the reference, the reference against finite differences. */
class GatKernelTest {
    static GatKernel gat(SplittableRandom r, int heads, int d, GatKernel.Form form) {
        return new GatKernel(PaperKernels.uniform(r, 1.5, heads, d), PaperKernels.uniform(r, 1.5, heads, d), 0.2, form);
    }

    @ParameterizedTest
    @CsvSource({"GATCONV,1,1,1,1,1,false,false", "GATCONV,2,4,2,13,7,true,false", "GATCONV,1,3,3,31,5,false,true",
            "KERNEL,1,2,1,11,3,false,false", "KERNEL,2,2,2,17,6,true,true", "GATCONV,1,2,2,64,16,false,false"})
    void simdMatchesReference(GatKernel.Form form, int batch, int heads, int kvHeads, int seq, int dim, boolean causal, boolean graph) {
        SplittableRandom r = new SplittableRandom(seq * 131L + dim);
        Tensor q = NeighbourhoodTest.random(r, batch, heads, seq, dim), k = NeighbourhoodTest.random(r, batch, kvHeads, seq, dim);
        Tensor v = NeighbourhoodTest.random(r, batch, kvHeads, seq, dim + 2);
        AttentionOptions.Builder b = AttentionOptions.builder().kernel(gat(r, heads, dim, form)).causal(causal);
        if (graph) b.neighbourhood(NeighbourhoodTest.randomCsr(r, seq, seq, 5));
        AttentionOptions o = b.build();
        Compare.assertClose(form + " output", NeighbourhoodTest.REF.attention(q, k, v, o).output(),
                NeighbourhoodTest.SIMD.attention(q, k, v, o).output(), 1e-5);
        Tensor dOut = NeighbourhoodTest.random(r, batch, heads, seq, dim + 2);
        AttentionGradients want = Train.gradients(NeighbourhoodTest.REF, q, k, v, o, dOut, 0.0);
        AttentionGradients got = Train.gradients(NeighbourhoodTest.SIMD, q, k, v, o, dOut, 0.0);
        Compare.assertClose(form + " dQ", want.dQ(), got.dQ(), 1e-4);
        Compare.assertClose(form + " dK", want.dK(), got.dK(), 1e-4);
        Compare.assertClose(form + " dV", want.dV(), got.dV(), 1e-4);
        KernelGradient.Gat w = (KernelGradient.Gat) want.dKernel(), g = (KernelGradient.Gat) got.dKernel();
        for (int t = 0; t < 2; t++) {
            ParamTensor a = t == 0 ? w.aSrc() : w.aDst(), c = t == 0 ? g.aSrc() : g.aDst();
            for (int n = 0; n < a.size(); n++) {
                assertTrue(Math.abs(a.at(n) - c.at(n)) <= 1e-4 * (1 + Math.abs(a.at(n))), form + (t == 0 ? " a_src[" : " a_dst[") + n
                        + "]: " + a.at(n) + " vs " + c.at(n));
            }
        }
    }

    /** GATCONV's score is LeakyReLU(a_dst.q + a_src.k), checked on one hand-computed pair of keys. */
    @Test
    void gatconvScoreByHand() {
        ParamTensor aSrc = ParamTensor.of(new double[] {1, 0}, 1, 2), aDst = ParamTensor.of(new double[] {0, 2}, 1, 2);
        Tensor q = Tensor.bhsd(new float[] {0, 0.5f}, 1, 1, 1, 2);
        Tensor k = Tensor.bhsd(new float[] {1, 0, -3, 0}, 1, 1, 2, 2);        // a_src.k = 1 and -3
        Tensor v = Tensor.bhsd(new float[] {1, 0, 0, 1}, 1, 1, 2, 2);
        AttentionOptions o = AttentionOptions.builder().kernel(new GatKernel(aSrc, aDst)).returnEnergy(true).build();
        Tensor e = NeighbourhoodTest.SIMD.attention(q, k, v, o).energy();
        assertEquals(2.0, e.get(0, 0, 0, 0), 1e-6);                            // 1 + 1 > 0
        assertEquals(0.2 * (1 - 3), e.get(0, 0, 0, 1), 1e-6);                  // LeakyReLU(-2)
        double p0 = 1 / (1 + Math.exp(-0.4 - 2));
        assertEquals(p0, NeighbourhoodTest.SIMD.attention(q, k, v, o).output().get(0, 0, 0, 0), 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"GATCONV", "KERNEL"})
    void referenceGradientsMatchFiniteDifferences(GatKernel.Form form) {
        SplittableRandom r = new SplittableRandom(form.ordinal() + 5);
        int heads = 2, seq = 5, dim = 3;
        Tensor q = NeighbourhoodTest.random(r, 1, heads, seq, dim), k = NeighbourhoodTest.random(r, 1, heads, seq, dim);
        Tensor v = NeighbourhoodTest.random(r, 1, heads, seq, 2);
        AttentionOptions o = AttentionOptions.builder().kernel(gat(r, heads, dim, form)).neighbourhood(NeighbourhoodTest.randomCsr(r, seq, seq, 4)).build();
        AttentionProblem p = AttentionProblem.of(q, k, v, o);
        ReferenceBackward.Values x = ReferenceBackward.Values.of(p);
        double[] dOut = new double[heads * seq * 2];
        for (int n = 0; n < dOut.length; n++) dOut[n] = r.nextDouble() - 0.5;
        ReferenceBackward.Gradients g = ReferenceBackward.backward(p, x, dOut, 0.0);
        double h = 1e-6;
        String[] names = {"q", "k", "v", "a_src", "a_dst"};
        for (String name : names) {
            double[] base = pick(x, name), grad = pick(g, name);
            for (int n = 0; n < base.length; n++) {
                ReferenceBackward.Values plus = x.copy(), minus = x.copy();
                pick(plus, name)[n] += h;
                pick(minus, name)[n] -= h;
                double fd = (dot(dOut, ReferenceBackward.forward(p, plus).output()) - dot(dOut, ReferenceBackward.forward(p, minus).output())) / (2 * h);
                assertTrue(Math.abs(fd - grad[n]) <= 1e-6 * (1 + Math.abs(fd)), form + " d" + name + "[" + n + "]: " + grad[n] + " vs " + fd);
            }
        }
    }

    private static double[] pick(ReferenceBackward.Values x, String name) {
        return switch (name) {
            case "q" -> x.q();
            case "k" -> x.k();
            case "v" -> x.v();
            default -> x.parameters().get(name);
        };
    }

    private static double[] pick(ReferenceBackward.Gradients g, String name) {
        return switch (name) {
            case "q" -> g.dq();
            case "k" -> g.dk();
            case "v" -> g.dv();
            default -> g.parameters().get(name);
        };
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int n = 0; n < a.length; n++) s += a[n] * b[n];
        return s;
    }

    @Test
    void badShapesAndBackendsSayWhy() {
        SplittableRandom r = new SplittableRandom(9);
        Tensor q = NeighbourhoodTest.random(r, 1, 2, 3, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> NeighbourhoodTest.SIMD.attention(q, q, q,
                AttentionOptions.builder().kernel(gat(r, 3, 4, GatKernel.Form.GATCONV)).build()));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[q_heads, d] = [2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GatKernel(ParamTensor.zeros(2, 4), ParamTensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new GatKernel(ParamTensor.zeros(2, 4), ParamTensor.zeros(2, 4), -1, GatKernel.Form.GATCONV));
        var portable = new dev.ika4j.simd.portable.PortableBackend(dev.ika4j.api.BackendConfig.defaults().withThreads(1));
        var s = portable.supports(q, q, q, AttentionOptions.builder().kernel(gat(r, 2, 4, GatKernel.Form.GATCONV)).build());
        assertFalse(s.supported());
        assertTrue(s.reason().contains("GAT"), s.reason());
    }
}
