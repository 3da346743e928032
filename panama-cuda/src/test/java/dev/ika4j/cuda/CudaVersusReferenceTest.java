/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.testkit.Compare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cuda backend against the float64 reference on random inputs, covering each option and the
 * cases where FP32 GEMMs could let a masked NaN leak, on each path: auto, the GEMM path in many
 * query blocks, and the fused kernel forced. GPU only: skipped with the reason elsewhere.
 */
class CudaVersusReferenceTest {
    private static CudaBackend gpu;
    /** The GEMM path with a tiny score budget: many query blocks, exercising the block offsets. */
    private static CudaBackend blocked;
    /** The fused kernel wherever it supports the call. */
    private static CudaBackend fused;
    private static final ReferenceBackend REF = new ReferenceBackend();

    @BeforeAll
    static void open() {
        if (!Gpu.availability().available()) return;
        gpu = Gpu.open();
        blocked = Gpu.open(BackendConfig.defaults().withScoreBudgetBytes(4096).withCudaPath(BackendConfig.CudaPath.GEMM));
        fused = Gpu.open(BackendConfig.defaults().withCudaPath(BackendConfig.CudaPath.FUSED));
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (blocked != null) blocked.close();
        if (fused != null) fused.close();
    }

    private static void compare(Tensor q, Tensor k, Tensor v, AttentionOptions o, String what) {
        Gpu.assume();
        AttentionResult ref = REF.attention(q, k, v, o);
        for (CudaBackend be : new CudaBackend[] {gpu, blocked, fused}) {
            AttentionResult got = be.attention(q, k, v, o);
            String w = what + " on " + be + " with " + o;
            Compare.assertClose(w + " output", ref.output(), got.output(), Gpu.outputTolerance(q, ref.presentKey(), ref.presentValue(), o));
            if (o.returnEnergy()) {
                Compare.assertClose(w + " energy", ref.energy(), got.energy(), Gpu.energyTolerance(q, ref.presentKey(), o));
            }
            assertTrue(ref.presentKey().contentEquals(got.presentKey()), w + " presentKey");
        }
    }

    @ParameterizedTest(name = "b{0} hq{1} hkv{2} lq{3} lk{4} d{5} dv{6}")
    @CsvSource({
        "1, 1, 1, 1, 1, 1, 1",
        "2, 4, 4, 17, 31, 7, 5",
        "2, 8, 2, 33, 65, 64, 48",
        "1, 3, 1, 1, 300, 13, 29",
        "1, 2, 2, 129, 257, 128, 128",
        "3, 6, 3, 5, 2, 3, 1",
    })
    void everyOptionMatchesTheReference(int b, int hq, int hkv, int lq, int lk, int d, int dv) {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(31L * b + 7L * lq + lk + d);
        Tensor q = Gpu.gaussian(rnd, b, hq, lq, d), k = Gpu.gaussian(rnd, b, hkv, lk, d), v = Gpu.gaussian(rnd, b, hkv, lk, dv);
        compare(q, k, v, AttentionOptions.DEFAULT, "default");
        compare(q, k, v, AttentionOptions.builder().causal(true).returnEnergy(true).build(), "causal");
        compare(q, k, v, AttentionOptions.builder().scale(0.7).softcap(2.5).returnEnergy(true).build(), "softcap");

        boolean[] allowed = new boolean[lq * lk];
        for (int i = 0; i < allowed.length; i++) allowed[i] = rnd.nextInt(4) != 0;
        compare(q, k, v, AttentionOptions.builder().mask(AttentionMask.bool(allowed, lq, lk)).returnEnergy(true).build(),
                "bool mask broadcast over batch and heads");

        int shortCols = Math.max(1, lk - 2);
        float[] bias = new float[b * lq * shortCols];
        for (int i = 0; i < bias.length; i++) bias[i] = rnd.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : (float) Gpu.gauss(rnd);
        compare(q, k, v, AttentionOptions.builder().mask(AttentionMask.additive(bias, b, 1, lq, shortCols))
                .causal(true).returnEnergy(true).build(), "additive mask with a short last dim, causal");

        float[] colBias = new float[hq];
        for (int i = 0; i < hq; i++) colBias[i] = (float) Gpu.gauss(rnd);
        compare(q, k, v, AttentionOptions.builder().mask(AttentionMask.additive(colBias, hq, 1, 1)).build(),
                "additive mask broadcast over keys");

        int[] lens = new int[b];
        for (int i = 0; i < b; i++) lens[i] = rnd.nextInt(lk + 1);
        compare(q, k, v, AttentionOptions.builder().kvLengths(lens).returnEnergy(true).build(), "kvLengths");

        int past = Math.max(1, lk / 3);
        Tensor pk = Gpu.gaussian(rnd, b, hkv, past, d), pv = Gpu.gaussian(rnd, b, hkv, past, dv);
        compare(q, k, v, AttentionOptions.builder().past(pk, pv).causal(true).returnEnergy(true).build(), "past + causal");
    }

    /**
     * The fused kernel's own cases: head dims at and below its two sizes (64, 128; 16-byte and
     * 4-byte copies), query and key counts that are and are not multiples of its 64-row tiles,
     * GQA, causal with and without a past cache, valid lengths down to zero.
     */
    @ParameterizedTest(name = "b{0} hq{1} hkv{2} lq{3} lk{4} d{5} dv{6}")
    @CsvSource({
        "4, 4, 4, 128, 128, 64, 64",
        "2, 4, 2, 200, 333, 128, 128",
        "1, 2, 1, 65, 64, 64, 64",
        "2, 2, 2, 1, 500, 128, 128",
        "1, 3, 3, 97, 190, 96, 80",
        "2, 2, 1, 70, 129, 65, 7",
    })
    void fusedShapesMatchTheReference(int b, int hq, int hkv, int lq, int lk, int d, int dv) {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(1000L + 31L * b + 7L * lq + lk + d);
        Tensor q = Gpu.gaussian(rnd, b, hq, lq, d), k = Gpu.gaussian(rnd, b, hkv, lk, d), v = Gpu.gaussian(rnd, b, hkv, lk, dv);
        compare(q, k, v, AttentionOptions.DEFAULT, "default");
        compare(q, k, v, AttentionOptions.builder().causal(true).build(), "causal");
        compare(q, k, v, AttentionOptions.builder().scale(0.3).build(), "scale");
        int[] lens = new int[b];
        for (int i = 0; i < b; i++) lens[i] = i == 0 ? 0 : rnd.nextInt(lk + 1);
        compare(q, k, v, AttentionOptions.builder().kvLengths(lens).build(), "kvLengths, one of them 0");
        compare(q, k, v, AttentionOptions.builder().kvLengths(lens).causal(true).build(), "kvLengths + causal");
        int past = 1 + lk / 2;
        Tensor pk = Gpu.gaussian(rnd, b, hkv, past, d), pv = Gpu.gaussian(rnd, b, hkv, past, dv);
        compare(q, k, v, AttentionOptions.builder().past(pk, pv).causal(true).build(), "past + causal");
        assertEquals(BackendConfig.CudaPath.FUSED, pathOf(fused, q, k, v, AttentionOptions.builder().causal(true).build()),
                "the fused kernel takes these shapes");
    }

    private static BackendConfig.CudaPath pathOf(CudaBackend be, Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        try (ResidentTensor rq = be.upload(q); ResidentTensor rk = be.upload(k); ResidentTensor rv = be.upload(v)) {
            return be.pathFor(rq, rk, rv, o);
        }
    }

    @Test
    void pathSettingsRouteAsDocumented() {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(12);
        Tensor q = Gpu.gaussian(rnd, 1, 2, 10, 64), k = Gpu.gaussian(rnd, 1, 2, 12, 64), v = Gpu.gaussian(rnd, 1, 2, 12, 64);
        AttentionOptions plain = AttentionOptions.DEFAULT;
        assertEquals(BackendConfig.CudaPath.GEMM, pathOf(blocked, q, k, v, plain), "gemm forced");
        assertEquals(BackendConfig.CudaPath.FUSED, pathOf(fused, q, k, v, plain), "fused forced");
        assertEquals(BackendConfig.CudaPath.GEMM, pathOf(fused, q, k, v, AttentionOptions.builder().softcap(3).build()),
                "soft-capping is GEMM-only");
        Tensor wide = Gpu.gaussian(rnd, 1, 2, 12, 160);
        assertEquals(BackendConfig.CudaPath.GEMM, pathOf(fused, Gpu.gaussian(rnd, 1, 2, 10, 160), wide, v, plain),
                "head dim 160 is beyond the fused kernel");
    }

    @Test
    void nanInMaskedKeysAndValuesDoesNotLeak() {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(5);
        int b = 2, h = 3, lq = 9, lk = 40, d = 16;
        Tensor q = Gpu.gaussian(rnd, b, h, lq, d), k = Gpu.gaussian(rnd, b, h, lk, d), v = Gpu.gaussian(rnd, b, h, lk, d);
        int[] lens = {25, 40};
        for (int hh = 0; hh < h; hh++)
            for (int j = 25; j < lk; j++)
                for (int c = 0; c < d; c++) {
                    k.set(0, hh, j, c, Float.NaN);
                    v.set(0, hh, j, c, j % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY);
                }
        AttentionOptions o = AttentionOptions.builder().kvLengths(lens).build();
        compare(q, k, v, o, "NaN/inf beyond kvLengths");
        for (CudaBackend be : new CudaBackend[] {gpu, blocked, fused}) {
            for (float x : be.attention(q, k, v, o).output().toArray()) assertFalse(Float.isNaN(x) || Float.isInfinite(x), "on " + be);
        }
    }

    @Test
    void nanQueryGivesNanRowAndFullyMaskedRowGivesZeros() {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(6);
        int lq = 4, lk = 7, d = 8;
        Tensor q = Gpu.gaussian(rnd, 1, 2, lq, d), k = Gpu.gaussian(rnd, 1, 2, lk, d), v = Gpu.gaussian(rnd, 1, 2, lk, d);
        q.set(0, 1, 2, 3, Float.NaN);
        boolean[] allowed = new boolean[lq * lk];
        for (int i = 0; i < allowed.length; i++) allowed[i] = i / lk != 1;   // query row 1 sees nothing
        AttentionOptions o = AttentionOptions.builder().mask(AttentionMask.bool(allowed, lq, lk)).returnEnergy(true).build();
        compare(q, k, v, o, "NaN query, fully masked row");
        Tensor out = gpu.attention(q, k, v, o).output();
        for (int c = 0; c < d; c++) {
            assertEquals(0f, out.get(0, 0, 1, c), "fully masked row is zero");
            assertTrue(Float.isNaN(out.get(0, 1, 2, c)), "NaN query row is NaN");
        }
        // The same on the fused kernel, where a zero length masks the row instead of a mask.
        AttentionOptions none = AttentionOptions.builder().kvLengths(new int[] {0}).build();
        Tensor zero = fused.attention(q, k, v, none).output();
        Tensor nan = fused.attention(q, k, v, AttentionOptions.DEFAULT).output();
        for (int c = 0; c < d; c++) {
            assertEquals(0f, zero.get(0, 0, 1, c), "fused: row with no valid key is zero");
            assertTrue(Float.isNaN(nan.get(0, 1, 2, c)), "fused: NaN query row is NaN");
            assertFalse(Float.isNaN(nan.get(0, 1, 1, c)), "fused: other rows are not");
        }
    }

    @Test
    void emptyKeysGiveZeros() {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(8);
        Tensor q = Gpu.gaussian(rnd, 1, 2, 3, 4);
        compare(q, Tensor.zerosBhsd(1, 2, 0, 4), Tensor.zerosBhsd(1, 2, 0, 5), AttentionOptions.builder().returnEnergy(true).build(),
                "kv_seq 0");
    }

    @Test
    void packedLayoutInAndOut() {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(9);
        int b = 2, lq = 11, lk = 13, h = 4, d = 6;
        float[] qd = Gpu.gaussian(rnd, 1, 1, 1, b * lq * h * d).toArray();
        float[] kd = Gpu.gaussian(rnd, 1, 1, 1, b * lk * h * d).toArray();
        float[] vd = Gpu.gaussian(rnd, 1, 1, 1, b * lk * h * d).toArray();
        Tensor q = Tensor.bshd(qd, b, lq, h, d), k = Tensor.bshd(kd, b, lk, h, d), v = Tensor.bshd(vd, b, lk, h, d);
        compare(q, k, v, AttentionOptions.builder().causal(true).build(), "packed 3-D");
        assertEquals(Tensor.Layout.BSHD, gpu.attention(q, k, v).output().layout());
    }

    @Test
    void residentCallsMatchHostCalls() {
        Gpu.assume();
        SplittableRandom rnd = new SplittableRandom(10);
        int b = 2, hq = 4, hkv = 2, lq = 70, lk = 90, d = 32, dv = 24;
        Tensor q = Gpu.gaussian(rnd, b, hq, lq, d), k = Gpu.gaussian(rnd, b, hkv, lk, d), v = Gpu.gaussian(rnd, b, hkv, lk, dv);
        AttentionOptions o = AttentionOptions.builder().causal(true).kvLengths(new int[] {80, 90}).build();
        for (CudaBackend be : new CudaBackend[] {gpu, blocked, fused}) {
            try (ResidentTensor rq = be.upload(q); ResidentTensor rk = be.upload(k); ResidentTensor rv = be.upload(v);
                 ResidentTensor ro = be.allocate(b, hq, lq, dv)) {
                be.attention(rq, rk, rv, o, ro);
                Tensor got = Tensor.zerosBhsd(b, hq, lq, dv);
                be.download(ro, got);
                Compare.assertClose("resident on " + be, REF.attention(q, k, v, o).output(), got, Gpu.outputTolerance(q, k, v, o));
                assertThrows(IllegalArgumentException.class, () -> be.attention(rq, rk, rv, o, rq), "wrong out shape");
            }
        }
    }

    @Test
    void residentTensorOfAnotherBackendIsRejected() {
        Gpu.assume();
        try (ResidentTensor other = blocked.allocate(1, 1, 2, 2); ResidentTensor mine = gpu.allocate(1, 1, 2, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gpu.attention(other, mine, mine, AttentionOptions.DEFAULT, mine));
            assertTrue(e.getMessage().contains("q"), e.getMessage());
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        Gpu.assume();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(100 + seed);
                    int lq = 10 + seed * 7, lk = 20 + seed * 5, d = 8 + seed;
                    Tensor q = Gpu.gaussian(rnd, 1, 2, lq, d), k = Gpu.gaussian(rnd, 1, 2, lk, d), v = Gpu.gaussian(rnd, 1, 2, lk, d);
                    Tensor want = REF.attention(q, k, v).output();
                    for (int i = 0; i < 25; i++) {
                        Compare.assertClose("thread " + seed, want, gpu.attention(q, k, v).output(), Gpu.outputTolerance(q, k, v));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void propertiesNameTheDevice() {
        Gpu.assume();
        var props = gpu.properties();
        assertTrue(props.get("device").startsWith("0: "), props.toString());
        assertEquals("FP32", props.get("math"));
    }
}
