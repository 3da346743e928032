/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.Train;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The backward on the backend's threads: one (batch, KV head) per task, so the gradients are the
 * same bits for one thread and for several, they still match the reference, and inputs in a
 * thread-confined segment keep every task on the calling thread.
 */
class SimdTrainingThreadsTest {
    private static List<AttentionOptions> cases() {
        List<AttentionOptions> out = new ArrayList<>();
        List<AttentionKernel> kernels = List.of(dev.ika4j.api.kernel.StandardKernel.INSTANCE, RbfImportanceKernel.standardForm(),
                RbfImportanceKernel.lp(3));
        for (AttentionKernel k : kernels) {
            out.add(AttentionOptions.builder().kernel(k).build());
            out.add(AttentionOptions.builder().kernel(k).causal(true).build());
        }
        out.add(AttentionOptions.builder().softcap(2.5).build());
        return out;
    }

    @Test
    void sameGradientsForAnyThreadCountAndTheReferences() {
        SplittableRandom r = new SplittableRandom(5);
        // 3 batches x 2 KV heads (GQA, 3 query heads each): six tasks for three threads; odd sizes
        Tensor q = RandomProblems.random(r, 3, 6, 37, 19), k = RandomProblems.random(r, 3, 2, 41, 19);
        Tensor v = RandomProblems.random(r, 3, 2, 41, 13), dOut = RandomProblems.random(r, 3, 6, 37, 13);
        try (SimdBackend one = new SimdBackend(BackendConfig.defaults().withThreads(1));
             SimdBackend three = new SimdBackend(BackendConfig.defaults().withThreads(3))) {
            for (AttentionOptions o : cases()) {
                AttentionGradients a = Train.gradients(one, q, k, v, o, dOut), b = Train.gradients(three, q, k, v, o, dOut);
                String at = o + ": ";
                Compare.assertIdentical(at + "dQ, 1 and 3 threads", a.dQ(), b.dQ());
                Compare.assertIdentical(at + "dK, 1 and 3 threads", a.dK(), b.dK());
                Compare.assertIdentical(at + "dV, 1 and 3 threads", a.dV(), b.dV());
                AttentionGradients want = Train.gradients(new ReferenceBackend(), q, k, v, o, dOut);
                SimdTrainingTest.assertClose(at + "dQ", want.dQ(), b.dQ(), 41);
                SimdTrainingTest.assertClose(at + "dK", want.dK(), b.dK(), 37 * 3);
                SimdTrainingTest.assertClose(at + "dV", want.dV(), b.dV(), 37 * 3);
            }
        }
    }

    @Test
    void threadConfinedSegmentsStayOnTheCallingThread() {
        SplittableRandom r = new SplittableRandom(9);
        Tensor q = RandomProblems.random(r, 2, 4, 70, 16), k = RandomProblems.random(r, 2, 4, 70, 16);
        Tensor v = RandomProblems.random(r, 2, 4, 70, 16), dOut = RandomProblems.random(r, 2, 4, 70, 16);
        try (SimdBackend three = new SimdBackend(BackendConfig.defaults().withThreads(3)); Arena arena = Arena.ofConfined()) {
            Tensor qs = segment(arena, q), ks = segment(arena, k), vs = segment(arena, v), ds = segment(arena, dOut);
            for (AttentionOptions o : cases()) {
                // a pool thread touching a confined segment throws WrongThreadException
                AttentionGradients heap = Train.gradients(three, q, k, v, o, dOut), seg = Train.gradients(three, qs, ks, vs, o, ds);
                Compare.assertIdentical(o + ": dQ on a confined segment", heap.dQ(), seg.dQ());
                Compare.assertIdentical(o + ": dK on a confined segment", heap.dK(), seg.dK());
                Compare.assertIdentical(o + ": dV on a confined segment", heap.dV(), seg.dV());
            }
        }
    }

    private static Tensor segment(Arena arena, Tensor t) {
        float[] a = t.toArray();
        MemorySegment s = arena.allocate((long) a.length * Float.BYTES, 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
        return Tensor.bhsd(s, DType.FLOAT32, t.batch(), t.heads(), t.seq(), t.dim());
    }
}
