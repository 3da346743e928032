/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.cuda.kernels.KernelLibrary;
import org.junit.jupiter.api.Test;

/** The host-side launch arithmetic of the GEMM and fused paths; runs without a GPU. */
class CudaLaunchShapesTest {

    @Test
    void stagedSoftmaxBlocksAreWholeWarpsWithAFewUnitsPerThread() {
        for (int ld : new int[] {1, 2, 3, 4, 5, 31, 64, 67, 1000, 1024, 4096, 8191, 8192, 58000}) {
            int t = CudaBackend.stagedThreads(ld);
            int units = ld % 4 == 0 ? ld / 4 : ld;
            assertEquals(0, t % 32, "ld " + ld + ": " + t + " threads");
            assertTrue(t >= 32 && t <= 1024, "ld " + ld + ": " + t + " threads");
            assertTrue(t == 32 || t == 1024 || (long) t * 4 >= units && (long) (t - 32) * 4 < units,
                    "ld " + ld + ": " + t + " threads for " + units + " units");
        }
        assertEquals(512, CudaBackend.stagedThreads(8192));
        assertEquals(64, CudaBackend.stagedThreads(1024));
    }

    @Test
    void causalBlocksAreMultiplesOf64AndAboutAnEighth() {
        assertEquals(64, CudaBackend.causalBlockRows(1));
        assertEquals(64, CudaBackend.causalBlockRows(100));
        assertEquals(128, CudaBackend.causalBlockRows(1024));
        assertEquals(1024, CudaBackend.causalBlockRows(8192));
        assertEquals(192, CudaBackend.causalBlockRows(1025));
    }

    @Test
    void fusedSharedMemoryMatchesTheKernelComments() {
        // flash.cu: (2 * 64 * (DM + 4) + 64 * DM) floats; two blocks of the larger must fit an H100 SM (228 KiB).
        assertEquals(51200, KernelLibrary.flashSharedBytes(64));
        assertEquals(100352, KernelLibrary.flashSharedBytes(128));
        assertTrue(2 * (KernelLibrary.flashSharedBytes(128) + 1024) <= 228 * 1024);
    }

    @Test
    void halfSharedMemoryMatchesTheKernelComments() {
        // flash_half.cu: 3 * 64 * (DM + 8) halves and a 64 x 68 float P tile; three blocks of the
        // larger (at 231 registers a thread, two are resident) fit an H100/H200 SM.
        assertEquals(45056, dev.ika4j.cuda.kernels.HalfFlashKernels.sharedBytes(64));
        assertEquals(69632, dev.ika4j.cuda.kernels.HalfFlashKernels.sharedBytes(128));
        assertTrue(3 * (dev.ika4j.cuda.kernels.HalfFlashKernels.sharedBytes(128) + 1024) <= 228 * 1024);
    }
}
