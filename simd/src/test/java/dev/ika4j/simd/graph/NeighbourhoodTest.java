/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.Train;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sparse (CSR) and banded neighbourhoods on simd against the float64 reference, forward and backward. */
class NeighbourhoodTest {
    static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(1));
    static final ReferenceBackend REF = new ReferenceBackend();

    static Tensor random(SplittableRandom r, int b, int h, int s, int d) {
        float[] x = new float[b * h * s * d];
        for (int n = 0; n < x.length; n++) x[n] = (float) (r.nextDouble() * 2 - 1);
        return Tensor.bhsd(x, b, h, s, d);
    }

    /** A random graph: each query gets 0 .. maxDeg distinct keys (some none). */
    static Neighbourhood randomCsr(SplittableRandom r, int q, int kv, int maxDeg) {
        int[] indptr = new int[q + 1];
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < q; i++) {
            int deg = i % 5 == 3 ? 0 : r.nextInt(Math.min(maxDeg, kv) + 1);
            boolean[] used = new boolean[kv];
            for (int e = 0; e < deg; e++) {
                int j;
                do j = r.nextInt(kv); while (used[j]);
                used[j] = true;
                idx.add(j);
            }
            indptr[i + 1] = idx.size();
        }
        return Neighbourhood.csr(indptr, idx.stream().mapToInt(Integer::intValue).toArray());
    }

    static AttentionKernel kernel(String kind, SplittableRandom r, int d, int heads) {
        IkaOptions o = IkaOptions.builder().p(2).build();
        return switch (kind) {
            case "standard" -> AttentionKernel.standard();
            case "rbf" -> new RbfImportanceKernel(2.5, null);
            case "direct" -> PaperKernels.direct(r, d, heads, 6, o);
            case "generator" -> PaperKernels.generatorKernel(r, d, heads, 6, o);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @CsvSource({"standard,1,1,7,5,3,false", "standard,2,2,13,11,8,true", "rbf,1,2,9,9,4,false", "direct,2,1,11,7,5,false",
            "direct,1,2,17,17,6,true", "generator,1,1,10,6,3,false", "generator,2,2,5,9,9,false"})
    void csrMatchesReference(String kind, int batch, int heads, int q, int kv, int dim, boolean causal) {
        SplittableRandom r = new SplittableRandom(q * 31L + kv + dim);
        Tensor qt = random(r, batch, heads, q, dim), kt = random(r, batch, heads, kv, dim), vt = random(r, batch, heads, kv, dim + 1);
        AttentionOptions o = AttentionOptions.builder().kernel(kernel(kind, r, dim, heads)).causal(causal)
                .neighbourhood(randomCsr(r, q, kv, 6)).returnEnergy(true).build();
        var want = REF.attention(qt, kt, vt, o);
        var got = SIMD.attention(qt, kt, vt, o);
        Compare.assertClose(kind + " output", want.output(), got.output(), 1e-4);
        assertEnergy(want.energy(), got.energy());
        Tensor dOut = random(r, batch, heads, q, dim + 1);
        AttentionGradients gw = Train.gradients(REF, qt, kt, vt, o.toBuilder().returnEnergy(false).build(), dOut, 0.0);
        AttentionGradients gg = Train.gradients(SIMD, qt, kt, vt, o.toBuilder().returnEnergy(false).build(), dOut, 0.0);
        Compare.assertClose(kind + " dQ", gw.dQ(), gg.dQ(), 2e-4);
        Compare.assertClose(kind + " dK", gw.dK(), gg.dK(), 2e-4);
        Compare.assertClose(kind + " dV", gw.dV(), gg.dV(), 2e-4);
        List<ParamTensor> pw = gw.dKernel().tensors(), pg = gg.dKernel().tensors();
        for (int t = 0; t < pw.size(); t++) {
            for (int n = 0; n < pw.get(t).size(); n++) {
                double w = pw.get(t).at(n), g = pg.get(t).at(n);
                assertTrue(Math.abs(w - g) <= 1e-3 * (1 + Math.abs(w)), kind + " parameter " + t + "[" + n + "]: " + w + " vs " + g);
            }
        }
    }

    static void assertEnergy(Tensor want, Tensor got) {
        float[] w = want.toArray(), g = got.toArray();
        for (int n = 0; n < w.length; n++) {
            if (w[n] == Float.NEGATIVE_INFINITY) assertTrue(g[n] == Float.NEGATIVE_INFINITY, "energy " + n + " should be masked, got " + g[n]);
            else assertTrue(Math.abs(w[n] - g[n]) <= 1e-4 * (1 + Math.abs(w[n])), "energy " + n + ": " + w[n] + " vs " + g[n]);
        }
    }

    @ParameterizedTest
    @CsvSource({"standard,1,0,false", "standard,3,2,true", "direct,2,2,false", "rbf,0,4,false", "generator,4,0,true"})
    void bandedMatchesReference(String kind, int left, int right, boolean causal) {
        SplittableRandom r = new SplittableRandom(left * 7L + right);
        int q = 37, dim = 5;
        Tensor qt = random(r, 1, 2, q, dim), kt = random(r, 1, 2, q, dim), vt = random(r, 1, 2, q, dim);
        AttentionOptions o = AttentionOptions.builder().kernel(kernel(kind, r, dim, 2)).causal(causal)
                .neighbourhood(Neighbourhood.banded(left, right)).build();
        Compare.assertClose(kind + " banded", REF.attention(qt, kt, vt, o).output(), SIMD.attention(qt, kt, vt, o).output(), 1e-4);
        Tensor dOut = random(r, 1, 2, q, dim);
        AttentionGradients gw = Train.gradients(REF, qt, kt, vt, o, dOut, 0.0), gg = Train.gradients(SIMD, qt, kt, vt, o, dOut, 0.0);
        Compare.assertClose(kind + " banded dK", gw.dK(), gg.dK(), 2e-4);
        Compare.assertClose(kind + " banded dQ", gw.dQ(), gg.dQ(), 2e-4);
    }

    @Test
    void queryWithoutNeighboursGetsZeros() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor qt = random(r, 1, 1, 3, 4), kt = random(r, 1, 1, 3, 4), vt = random(r, 1, 1, 3, 4);
        AttentionOptions o = AttentionOptions.builder().neighbourhood(Neighbourhood.csr(new int[] {0, 2, 2, 3}, new int[] {0, 2, 1})).build();
        Tensor out = SIMD.attention(qt, kt, vt, o).output();
        for (int c = 0; c < 4; c++) assertTrue(out.get(0, 0, 1, c) == 0f, "row 1 has no neighbour");
        assertFalse(out.get(0, 0, 0, 0) == 0f);
    }

    @Test
    void badNeighbourhoodsAreRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> Neighbourhood.csr(new int[] {0, 2, 1}, new int[] {0}), "non-monotone");
        assertThrows(IllegalArgumentException.class, () -> Neighbourhood.csr(new int[] {1, 2}, new int[] {0}), "first offset");
        assertThrows(IllegalArgumentException.class, () -> Neighbourhood.csr(new int[] {0, 2}, new int[] {0}), "indices length");
        assertThrows(IllegalArgumentException.class, () -> Neighbourhood.banded(-1, 0));
        Tensor t = random(new SplittableRandom(1), 1, 1, 2, 4);
        var ex = assertThrows(IllegalArgumentException.class, () -> SIMD.attention(t, t, t,
                AttentionOptions.builder().neighbourhood(Neighbourhood.csr(new int[] {0, 1, 2}, new int[] {0, 5})).build()));
        assertTrue(ex.getMessage().contains("indices[1] = 5"), ex.getMessage());
        var ex2 = assertThrows(IllegalArgumentException.class, () -> SIMD.attention(t, t, t,
                AttentionOptions.builder().neighbourhood(Neighbourhood.csr(new int[] {0, 1}, new int[] {0})).build()));
        assertTrue(ex2.getMessage().contains("q_seq 2"), ex2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SIMD.attention(t, t, t,
                AttentionOptions.builder().neighbourhood(Neighbourhood.csr(new int[] {0, 2, 2}, new int[] {1, 1})).build()), "duplicate");
    }

    /** The oracle applies the neighbourhood (the output differs from dense attention) and its gradient matches finite differences. */
    @ParameterizedTest
    @CsvSource({"standard", "rbf", "direct", "generator"})
    void referenceGradientMatchesFiniteDifferences(String kind) {
        SplittableRandom r = new SplittableRandom(kind.hashCode());
        int q = 6, kv = 7, dim = 3;
        Tensor qt = random(r, 1, 2, q, dim), kt = random(r, 1, 2, kv, dim), vt = random(r, 1, 2, kv, 2);
        AttentionOptions o = AttentionOptions.builder().kernel(kernel(kind, r, dim, 2)).neighbourhood(randomCsr(r, q, kv, 4)).build();
        AttentionOptions dense = o.toBuilder().neighbourhood(null).build();
        double diff = Compare.maxAbs(REF.attention(qt, kt, vt, o).output()) + 0 * 1;
        float[] a = REF.attention(qt, kt, vt, o).output().toArray(), b = REF.attention(qt, kt, vt, dense).output().toArray();
        double gap = 0;
        for (int n = 0; n < a.length; n++) gap = Math.max(gap, Math.abs(a[n] - b[n]));
        assertTrue(gap > 1e-3 && diff > 0, "the neighbourhood changes the output (gap " + gap + ")");
        dev.ika4j.api.spi.AttentionProblem p = dev.ika4j.api.spi.AttentionProblem.of(qt, kt, vt, o);
        var x = dev.ika4j.api.reference.ReferenceBackward.Values.of(p);
        double[] dOut = new double[p.batch() * p.qHeads() * p.qSeq() * p.vDim()];
        for (int n = 0; n < dOut.length; n++) dOut[n] = r.nextDouble() - 0.5;
        var g = dev.ika4j.api.reference.ReferenceBackward.backward(p, x, dOut, 0.0);
        double h = 1e-6;
        for (int which = 0; which < 2; which++) {
            double[] base = which == 0 ? x.q() : x.k(), grad = which == 0 ? g.dq() : g.dk();
            for (int n = 0; n < base.length; n++) {
                var plus = x.copy();
                var minus = x.copy();
                (which == 0 ? plus.q() : plus.k())[n] += h;
                (which == 0 ? minus.q() : minus.k())[n] -= h;
                double fp = dot(dOut, dev.ika4j.api.reference.ReferenceBackward.forward(p, plus).output());
                double fm = dot(dOut, dev.ika4j.api.reference.ReferenceBackward.forward(p, minus).output());
                double fd = (fp - fm) / (2 * h);
                assertTrue(Math.abs(fd - grad[n]) <= 1e-6 * (1 + Math.abs(fd)), kind + (which == 0 ? " dq[" : " dk[") + n + "]: "
                        + grad[n] + " vs finite difference " + fd);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int n = 0; n < a.length; n++) s += a[n] * b[n];
        return s;
    }
}
