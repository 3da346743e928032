/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.testkit.Compare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The documented edge semantics (fully masked rows, NaN and inf propagation), layouts and storage
 * kinds, the resident API, and determinism across thread counts and concurrent callers.
 */
class SimdSemanticsTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));

    @AfterAll
    static void close() {
        SIMD.close();
    }

    private static void assertMatchesReference(String what, Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        AttentionResult want = REF.attention(q, k, v, o);
        AttentionResult got = SIMD.attention(q, k, v, o);
        Compare.assertClose(what, want.output(), got.output(),
                TestInputs.outputTolerance(q, want.presentKey(), want.presentValue(), o));
        if (o.returnEnergy()) {
            Compare.assertClose(what + " energy", want.energy(), got.energy(),
                    TestInputs.energyTolerance(q, want.presentKey(), o));
        }
    }

    @Test
    void fullyMaskedQueriesGiveZeros() {
        SplittableRandom rnd = new SplittableRandom(1);
        int lq = 9, lk = 70;
        Tensor q = TestInputs.tensor(rnd, 2, 2, lq, 16, 1);
        Tensor k = TestInputs.tensor(rnd, 2, 2, lk, 16, 1);
        Tensor v = TestInputs.tensor(rnd, 2, 2, lk, 16, 1);
        boolean[] allowed = new boolean[lq * lk];
        for (int i = 0; i < allowed.length; i++) allowed[i] = rnd.nextBoolean();
        for (int j = 0; j < lk; j++) allowed[4 * lk + j] = false; // query 4: nothing allowed
        AttentionOptions o = AttentionOptions.builder().mask(AttentionMask.bool(allowed, lq, lk))
                .kvLengths(new int[] {lk, 0}).returnEnergy(true).build(); // batch 1: no valid key at all
        AttentionResult got = SIMD.attention(q, k, v, o);
        for (int h = 0; h < 2; h++) {
            for (int c = 0; c < 16; c++) {
                assertEquals(0f, got.output().get(0, h, 4, c), 0f);
                for (int i = 0; i < lq; i++) assertEquals(0f, got.output().get(1, h, i, c), 0f);
            }
            for (int j = 0; j < lk; j++) assertEquals(Float.NEGATIVE_INFINITY, got.energy().get(1, h, 3, j));
        }
        assertMatchesReference("masked rows", q, k, v, o);
    }

    @Test
    void nanInAQueryRowReachesOnlyThatRow() {
        SplittableRandom rnd = new SplittableRandom(2);
        Tensor q = TestInputs.tensor(rnd, 1, 2, 11, 24, 1);
        Tensor k = TestInputs.tensor(rnd, 1, 2, 40, 24, 1);
        Tensor v = TestInputs.tensor(rnd, 1, 2, 40, 24, 1);
        q.set(0, 1, 6, 5, Float.NaN);
        Tensor out = SIMD.attention(q, k, v).output();
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 11; i++)
                for (int c = 0; c < 24; c++) {
                    boolean hit = h == 1 && i == 6;
                    assertEquals(hit, Float.isNaN(out.get(0, h, i, c)), "h=" + h + " i=" + i + " c=" + c);
                }
        assertMatchesReference("NaN query", q, k, v, AttentionOptions.builder().returnEnergy(true).build());
    }

    /** NaN in a key or value reaches exactly the queries that attend that key (causal here). */
    @Test
    void nanInKeysAndValuesReachesOnlyTheQueriesThatAttendThem() {
        SplittableRandom rnd = new SplittableRandom(3);
        int l = 150;
        for (boolean inKey : new boolean[] {true, false}) {
            Tensor q = TestInputs.tensor(rnd, 1, 1, l, 20, 1);
            Tensor k = TestInputs.tensor(rnd, 1, 1, l, 20, 1);
            Tensor v = TestInputs.tensor(rnd, 1, 1, l, 20, 1);
            int bad = 97;
            (inKey ? k : v).set(0, 0, bad, 3, Float.NaN);
            AttentionOptions o = AttentionOptions.builder().causal(true).returnEnergy(true).build();
            Tensor out = SIMD.attention(q, k, v, o).output();
            for (int i = 0; i < l; i++) {
                for (int c = 0; c < 20; c++) {
                    boolean attends = i >= bad;
                    boolean nan = Float.isNaN(out.get(0, 0, i, c));
                    if (inKey || c == 3) {
                        assertEquals(attends, nan, (inKey ? "key" : "value") + " NaN: i=" + i + " c=" + c);
                    } else {
                        assertTrue(!nan, "value NaN leaked to column " + c + " of query " + i);
                    }
                }
            }
            assertMatchesReference("NaN " + (inKey ? "key" : "value"), q, k, v, o);
        }
    }

    /** Masked keys holding NaN or inf (in K or V) must not leak, also through a bool or additive mask. */
    @Test
    void nonFiniteValuesAtMaskedKeysDoNotLeak() {
        SplittableRandom rnd = new SplittableRandom(4);
        int lq = 5, lk = 80;
        Tensor q = TestInputs.tensor(rnd, 1, 1, lq, 8, 1);
        Tensor k = TestInputs.tensor(rnd, 1, 1, lk, 8, 1);
        Tensor v = TestInputs.tensor(rnd, 1, 1, lk, 8, 1);
        k.set(0, 0, 10, 0, Float.NaN);
        v.set(0, 0, 10, 1, Float.POSITIVE_INFINITY);
        k.set(0, 0, 70, 2, Float.POSITIVE_INFINITY);
        v.set(0, 0, 70, 2, Float.NaN);
        float[] bias = new float[lk];
        bias[10] = Float.NEGATIVE_INFINITY;
        bias[70] = Float.NEGATIVE_INFINITY;
        boolean[] allowed = new boolean[lk];
        java.util.Arrays.fill(allowed, true);
        allowed[10] = allowed[70] = false;
        for (AttentionMask m : List.of(AttentionMask.additive(bias, lk), AttentionMask.bool(allowed, 1, 1, 1, lk))) {
            AttentionOptions o = AttentionOptions.builder().mask(m).returnEnergy(true).build();
            Tensor out = SIMD.attention(q, k, v, o).output();
            for (float x : out.toArray()) assertTrue(Float.isFinite(x), m + ": non-finite output " + x);
            assertMatchesReference(m.toString(), q, k, v, o);
        }
        // The same keys excluded by valid lengths instead of a mask.
        AttentionOptions o = AttentionOptions.builder().kvLengths(new int[] {10}).build();
        for (float x : SIMD.attention(q, k, v, o).output().toArray()) assertTrue(Float.isFinite(x));
    }

    /** An infinite logit (inf in Q) gives what the reference gives: NaN for that row only. */
    @Test
    void infiniteLogitsFollowTheReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        Tensor q = TestInputs.tensor(rnd, 1, 1, 6, 8, 1);
        Tensor k = TestInputs.tensor(rnd, 1, 1, 30, 8, 1);
        Tensor v = TestInputs.tensor(rnd, 1, 1, 30, 8, 1);
        q.set(0, 0, 2, 0, Float.POSITIVE_INFINITY);
        assertMatchesReference("inf query", q, k, v, AttentionOptions.builder().returnEnergy(true).build());
        float[] bias = TestInputs.values(rnd, 30, 1);
        bias[4] = Float.POSITIVE_INFINITY;
        Tensor q2 = TestInputs.tensor(rnd, 1, 1, 6, 8, 1);
        assertMatchesReference("+inf bias", q2, k, v, AttentionOptions.builder().mask(AttentionMask.additive(bias, 30)).build());
    }

    @Test
    void packedLayoutAndSegmentsGiveTheSameResults() {
        SplittableRandom rnd = new SplittableRandom(6);
        Tensor q = TestInputs.tensor(rnd, 2, 4, 37, 24, 1);
        Tensor k = TestInputs.tensor(rnd, 2, 2, 53, 24, 1);
        Tensor v = TestInputs.tensor(rnd, 2, 2, 53, 19, 1);
        AttentionOptions o = AttentionOptions.builder().causal(true).returnEnergy(true).build();
        AttentionResult base = SIMD.attention(q, k, v, o);

        AttentionResult packed = SIMD.attention(TestInputs.packed(q), TestInputs.packed(k), TestInputs.packed(v), o);
        assertSame(Tensor.Layout.BSHD, packed.output().layout());
        TestInputs.assertIdentical("packed output", base.output(), packed.output());
        TestInputs.assertIdentical("packed energy", base.energy(), packed.energy());

        // Shared segments are read by the pool's threads; confined ones only by their owner, so
        // the backend must then stay on the calling thread.
        for (Arena arena : new Arena[] {Arena.ofShared(), Arena.ofConfined()}) {
            try (arena) {
                AttentionResult seg = SIMD.attention(segment(arena, q), segment(arena, k), segment(arena, v), o);
                TestInputs.assertIdentical("segment output", base.output(), seg.output());
            }
        }
        assertMatchesReference("base", q, k, v, o);
    }

    private static Tensor segment(Arena arena, Tensor t) {
        float[] a = t.toArray();
        MemorySegment s = arena.allocate((long) a.length * Float.BYTES, 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
        return Tensor.bhsd(s, DType.FLOAT32, t.batch(), t.heads(), t.seq(), t.dim());
    }

    @Test
    void residentCallsMatchHostCalls() {
        SplittableRandom rnd = new SplittableRandom(7);
        Tensor q = TestInputs.tensor(rnd, 1, 4, 33, 32, 1);
        Tensor k = TestInputs.tensor(rnd, 1, 2, 65, 32, 1);
        Tensor v = TestInputs.tensor(rnd, 1, 2, 65, 32, 1);
        AttentionOptions o = AttentionOptions.builder().causal(true).softcap(4).build();
        Tensor host = SIMD.attention(q, k, v, o).output();
        try (ResidentTensor rq = SIMD.upload(q); ResidentTensor rk = SIMD.upload(k); ResidentTensor rv = SIMD.upload(v);
             ResidentTensor ro = SIMD.allocate(1, 4, 33, 32)) {
            SIMD.attention(rq, rk, rv, o, ro);
            Tensor back = Tensor.zerosBhsd(1, 4, 33, 32);
            SIMD.download(ro, back);
            TestInputs.assertIdentical("resident", host, back);
        }
    }

    /** Scratch buffers are recycled across calls: refilling the same tensor objects must not reuse stale packing. */
    @Test
    void refilledInputTensorsAreRepacked() {
        SplittableRandom rnd = new SplittableRandom(8);
        Tensor q = TestInputs.tensor(rnd, 1, 2, 20, 16, 1);
        Tensor k = TestInputs.tensor(rnd, 1, 2, 90, 16, 1);
        Tensor v = TestInputs.tensor(rnd, 1, 2, 90, 16, 1);
        SIMD.attention(q, k, v);
        float[] fresh = TestInputs.values(rnd, (int) k.size(), 1);
        System.arraycopy(fresh, 0, k.array(), 0, fresh.length);
        float[] freshV = TestInputs.values(rnd, (int) v.size(), 1);
        System.arraycopy(freshV, 0, v.array(), 0, freshV.length);
        assertMatchesReference("after refill", q, k, v, AttentionOptions.DEFAULT);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom rnd = new SplittableRandom(9);
        Tensor q = TestInputs.tensor(rnd, 2, 4, 200, 48, 1);
        Tensor k = TestInputs.tensor(rnd, 2, 2, 300, 48, 1);
        Tensor v = TestInputs.tensor(rnd, 2, 2, 300, 40, 1);
        AttentionOptions o = AttentionOptions.builder().causal(true).returnEnergy(true).build();
        AttentionResult one;
        try (SimdBackend single = new SimdBackend(BackendConfig.defaults().withThreads(1))) {
            one = single.attention(q, k, v, o);
        }
        for (int threads : new int[] {2, 3, 7}) {
            try (SimdBackend multi = new SimdBackend(BackendConfig.defaults().withThreads(threads))) {
                AttentionResult r = multi.attention(q, k, v, o);
                TestInputs.assertIdentical(threads + " threads output", one.output(), r.output());
                TestInputs.assertIdentical(threads + " threads energy", one.energy(), r.energy());
            }
        }
    }

    @Test
    void sixteenConcurrentCallersGetTheSingleThreadedResults() throws Exception {
        int callers = 16;
        List<Tensor[]> inputs = new ArrayList<>();
        List<AttentionOptions> opts = new ArrayList<>();
        List<Tensor> expected = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            SplittableRandom rnd = new SplittableRandom(100 + t);
            int lq = 1 + rnd.nextInt(130), lk = 1 + rnd.nextInt(300), d = 1 + rnd.nextInt(70);
            Tensor[] in = {TestInputs.tensor(rnd, 1, 2, lq, d, 1), TestInputs.tensor(rnd, 1, 1, lk, d, 1),
                    TestInputs.tensor(rnd, 1, 1, lk, 1 + rnd.nextInt(70), 1)};
            AttentionOptions o = AttentionOptions.builder().causal(t % 2 == 0).build();
            inputs.add(in);
            opts.add(o);
            expected.add(SIMD.attention(in[0], in[1], in[2], o).output());
        }
        ExecutorService callersPool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Tensor>>> futures = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int id = t;
                futures.add(callersPool.submit(() -> {
                    start.await();
                    List<Tensor> outs = new ArrayList<>();
                    for (int rep = 0; rep < 4; rep++) {
                        Tensor[] in = inputs.get(id);
                        outs.add(SIMD.attention(in[0], in[1], in[2], opts.get(id)).output());
                    }
                    return outs;
                }));
            }
            start.countDown();
            for (int t = 0; t < callers; t++) {
                for (Tensor out : futures.get(t).get()) TestInputs.assertIdentical("caller " + t, expected.get(t), out);
            }
        } finally {
            callersPool.shutdownNow();
        }
    }

    @Test
    void aClosedBackendRefusesWork() {
        SimdBackend b = new SimdBackend(BackendConfig.defaults().withThreads(2));
        b.close();
        Tensor t = Tensor.bhsd(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertThrows(IllegalStateException.class, () -> b.attention(t, t, t));
    }
}
