/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.testkit.Compare;
import dev.ika4j.cuda.error.CudaException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Device memory does not creep over many calls, and running out of it is a clear, recoverable error. */
class CudaSoakTest {
    private static final int CALLS = 10_000;
    /** cuMemGetInfo moves in allocation-granularity steps; a leak of one small buffer per call would be MBs. */
    private static final long SLACK_BYTES = 8L << 20;

    @Test
    void tenThousandMixedCallsLeaveDeviceMemoryWhereItStarted() {
        try (CudaBackend gpu = Gpu.open()) {
            SplittableRandom rnd = new SplittableRandom(42);
            // The largest shape first, so the kept score buffer has its final size before measuring.
            call(gpu, rnd, 64, 96, 48, true);
            gpu.synchronize();
            long before = gpu.deviceMemory()[0];
            for (int i = 0; i < CALLS; i++) {
                int lq = 1 + rnd.nextInt(64), lk = 1 + rnd.nextInt(96), d = 1 + rnd.nextInt(48);
                call(gpu, rnd, lq, lk, d, i % 3 == 0);
            }
            gpu.synchronize();
            long after = gpu.deviceMemory()[0];
            assertTrue(Math.abs(before - after) <= SLACK_BYTES,
                    "free device memory " + before + " before and " + after + " after " + CALLS + " calls");
        }
    }

    /** Mixed forms: host calls with masks and lengths (per-call uploads), and resident round trips. */
    private static void call(CudaBackend gpu, SplittableRandom rnd, int lq, int lk, int d, boolean resident) {
        Tensor q = Gpu.gaussian(rnd, 1, 2, lq, d), k = Gpu.gaussian(rnd, 1, 1, lk, d), v = Gpu.gaussian(rnd, 1, 1, lk, d);
        if (resident) {
            try (ResidentTensor rq = gpu.upload(q); ResidentTensor rk = gpu.upload(k); ResidentTensor rv = gpu.upload(v);
                 ResidentTensor ro = gpu.allocate(1, 2, lq, d)) {
                gpu.attention(rq, rk, rv, AttentionOptions.builder().causal(true).build(), ro);
                gpu.download(ro, Tensor.zerosBhsd(1, 2, lq, d));
            }
        } else {
            boolean[] allowed = new boolean[lq * lk];
            for (int i = 0; i < allowed.length; i++) allowed[i] = rnd.nextBoolean();
            gpu.attention(q, k, v, AttentionOptions.builder().mask(AttentionMask.bool(allowed, lq, lk))
                    .kvLengths(new int[] {rnd.nextInt(lk + 1)}).returnEnergy(true).build());
        }
    }

    @Test
    void outOfMemoryIsAClearErrorAndTheBackendStaysUsable() {
        try (CudaBackend gpu = Gpu.open()) {
            long total = gpu.deviceMemory()[1];
            // Twice the device's memory, in one allocation.
            int seq = (int) Math.min(Integer.MAX_VALUE, total / (4L * 1024 * 64) * 2 + 1);
            CudaException e = assertThrows(CudaException.class, () -> gpu.allocate(1, 1024, seq, 64));
            assertTrue(e.getMessage().contains("cuMemAlloc_v2") && e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY"),
                    e.getMessage());

            SplittableRandom rnd = new SplittableRandom(3);
            Tensor q = Gpu.gaussian(rnd, 1, 2, 5, 8), k = Gpu.gaussian(rnd, 1, 2, 6, 8), v = Gpu.gaussian(rnd, 1, 2, 6, 8);
            Compare.assertClose("after out-of-memory", new ReferenceBackend().attention(q, k, v).output(), gpu.attention(q, k, v).output(), Gpu.outputTolerance(q, k, v));
            assertEquals("cuda", gpu.name());
        }
    }
}
