/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.testkit.Train;
import java.util.SplittableRandom;

/**
 * A check of the simd backward at sequence lengths the float64 reference cannot hold (it keeps
 * [L, L] matrices; so did the simd backward before it recomputed them): in causal attention the
 * first {@code prefix} outputs depend on the first {@code prefix} queries, keys and values only, so
 * with dOut zero past the prefix the long problem's gradient is the reference's gradient of the
 * prefix problem, and zero past it.
 */
final class CausalPrefix {
    private CausalPrefix() {}

    static void check(AttentionKernel kernel, int seq, int prefix, int qHeads, int kvHeads, int dim, int vDim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor q = RandomProblems.random(r, 1, qHeads, seq, dim), k = RandomProblems.random(r, 1, kvHeads, seq, dim);
        Tensor v = RandomProblems.random(r, 1, kvHeads, seq, vDim), dOut = Tensor.zerosBhsd(1, qHeads, seq, vDim);
        for (int h = 0; h < qHeads; h++)
            for (int s = 0; s < prefix; s++)
                for (int c = 0; c < vDim; c++) dOut.set(0, h, s, c, (float) (r.nextDouble() * 2 - 1));
        AttentionOptions o = AttentionOptions.builder().causal(true).kernel(kernel).build();
        AttentionGradients got = Train.gradients(SimdSpectralTrainingTest.SIMD, q, k, v, o, dOut, 0.0);
        AttentionGradients want = Train.gradients(new ReferenceBackend(), RandomProblems.slice(q, 0, prefix),
                RandomProblems.slice(k, 0, prefix), RandomProblems.slice(v, 0, prefix), o, RandomProblems.slice(dOut, 0, prefix), 0.0);
        String at = kernel.name() + " L = " + seq + ", prefix " + prefix + ": ";
        int terms = prefix * 8;
        SimdTrainingTest.assertClose(at + "dQ", want.dQ(), RandomProblems.slice(got.dQ(), 0, prefix), terms);
        SimdTrainingTest.assertClose(at + "dK", want.dK(), RandomProblems.slice(got.dK(), 0, prefix), terms);
        SimdTrainingTest.assertClose(at + "dV", want.dV(), RandomProblems.slice(got.dV(), 0, prefix), prefix * qHeads / kvHeads);
        for (Tensor t : new Tensor[] {got.dQ(), got.dK(), got.dV()}) {
            Tensor rest = RandomProblems.slice(t, prefix, seq);
            for (float x : rest.toArray()) assertEquals(0f, x, at + "a gradient past the prefix");
        }
        SimdLinearTrainingTest.assertKernelClose(at + "dKernel ", want.dKernel().tensors(), got.dKernel().tensors(),
                terms * prefix * qHeads);
    }
}
