/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wrappers against a real GPU: copies, cuBLAS, cuRAND, NVRTC and launches, checked against
 * host arithmetic. Skipped, with the reason, where the libraries or a device are missing.
 */
class GpuSmokeTest {

    private static CudaContext context;
    private static CudaStream stream;
    private static String unavailable;

    @BeforeAll
    static void open() {
        try {
            NativeLibraries libraries = NativeLibraries.load();
            context = CudaContext.open(0);
            stream = CudaStream.create(context);
            System.out.println("GPU: " + context.deviceName() + ", sm_" + context.computeCapability()
                    + ", driver CUDA " + context.driverVersion() + "\n" + libraries.describe());
        } catch (CudaUnavailableException e) {
            unavailable = "no CUDA: " + e.reason();
        } catch (CudaException e) {
            unavailable = "no usable GPU: " + e.getMessage();
        }
    }

    /** Per test, so that each one is reported as skipped with the reason. */
    @BeforeEach
    void requireGpu() {
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    @AfterAll
    static void close() {
        if (stream != null) {
            stream.close();
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void describesTheDevice() {
        assertFalse(context.deviceName().isBlank());
        assertTrue(context.computeCapability() >= 50, "compute capability " + context.computeCapability());
        assertTrue(context.multiprocessors() > 0);
        long[] mem = context.memInfo();
        assertTrue(mem[0] > 0 && mem[0] <= mem[1], mem[0] + " / " + mem[1]);
        assertTrue(NativeLibraries.load().files().containsKey("libcuda.so.1"));
        NativeLibraries.load().files().values().forEach(f -> assertFalse(LibrarySearchPath.isStub(java.nio.file.Path.of(f)), f));
    }

    @Test
    void hostDeviceRoundTripsThroughHeapAndNativeMemory() {
        int n = 5_000_011; // odd, and more than one staging chunk
        float[] values = random(n, 1);
        try (DeviceBuffer buffer = DeviceBuffer.allocate(context, 4L * n + 64);
             DeviceBuffer copy = DeviceBuffer.allocate(context, 4L * n + 64);
             Arena arena = Arena.ofConfined()) {
            buffer.zero(stream);
            buffer.copyFromHost(MemorySegment.ofArray(values), 12, stream);
            float[] back = new float[n];
            buffer.copyToHost(12, MemorySegment.ofArray(back), stream);
            assertArrayEquals(values, back);
            copy.copyFromDevice(buffer, 12, 4, 4L * n, stream);
            MemorySegment nativeBack = arena.allocate(4L * n);
            copy.copyToHost(4, nativeBack, stream);
            assertArrayEquals(values, nativeBack.toArray(JAVA_FLOAT));
            float[] head = new float[3];
            buffer.copyToHost(0, MemorySegment.ofArray(head), stream);
            assertArrayEquals(new float[3], head, "zeroed before the copy at offset 12");
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyFromHost(MemorySegment.ofArray(values), 100, stream));
        }
    }

    @Test
    void stridedBatchedSgemmMatchesTheHost() {
        int m = 37, n = 19, k = 53, batch = 3;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkGemm(m, n, k, batch, transA, transB, false, 1e-5);
            }
        }
        checkGemm(64, 64, 256, 2, false, true, true, 5e-3); // TF32: ~10 mantissa bits
    }

    private void checkGemm(int m, int n, int k, int batch, boolean transA, boolean transB, boolean tf32, double relTol) {
        // column-major: op(A) m x k, op(B) k x n, C m x n
        int lda = transA ? k : m, ldb = transB ? n : k, ldc = m;
        long sa = (long) lda * (transA ? m : k), sb = (long) ldb * (transB ? k : n), sc = (long) ldc * n;
        float[] a = random((int) (sa * batch), 2), b = random((int) (sb * batch), 3), c = random((int) (sc * batch), 4);
        float alpha = 0.75f, beta = -0.5f;
        try (Cublas cublas = Cublas.create(context, stream);
             DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = upload(c)) {
            cublas.setTf32(tf32);
            cublas.sgemmStridedBatched(transA, transB, m, n, k, alpha, da.address(), lda, sa, db.address(), ldb, sb,
                    beta, dc.address(), ldc, sc, batch);
            float[] got = new float[c.length];
            dc.copyToHost(0, MemorySegment.ofArray(got), stream);
            assertTrue(cublas.version().matches("\\d+\\.\\d+\\.\\d+"), cublas.version());
            for (int p = 0; p < batch; p++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0, scale = 0;
                        for (int l = 0; l < k; l++) {
                            double x = transA ? a[(int) (p * sa + l + (long) i * lda)] : a[(int) (p * sa + i + (long) l * lda)];
                            double y = transB ? b[(int) (p * sb + j + (long) l * ldb)] : b[(int) (p * sb + l + (long) j * ldb)];
                            sum += x * y;
                            scale += Math.abs(x * y);
                        }
                        int at = (int) (p * sc + i + (long) j * ldc);
                        double want = alpha * sum + beta * c[at];
                        assertEquals(want, got[at], relTol * (alpha * scale + Math.abs(beta * c[at])) + 1e-6,
                                "C[" + p + "](" + i + "," + j + ") transA=" + transA + " transB=" + transB + " tf32=" + tf32);
                    }
                }
            }
        }
    }

    @Test
    void seededNormalsRepeatAndLookNormal() {
        int n = 1 << 20;
        try (Curand curand = Curand.create(stream, 1234); DeviceBuffer out = DeviceBuffer.allocate(context, 4L * n)) {
            curand.generateNormal(out.address(), n, 0f, 1f);
            float[] first = new float[n];
            out.copyToHost(0, MemorySegment.ofArray(first), stream);
            double mean = 0, var = 0;
            for (float v : first) {
                mean += v;
            }
            mean /= n;
            for (float v : first) {
                var += (v - mean) * (v - mean);
            }
            var /= n;
            assertEquals(0, mean, 6 / Math.sqrt(n));
            assertEquals(1, var, 6 * Math.sqrt(2.0 / n));
            try (Curand again = Curand.create(stream, 1234)) {
                again.generateNormal(out.address(), n, 0f, 1f);
                float[] second = new float[n];
                out.copyToHost(0, MemorySegment.ofArray(second), stream);
                assertArrayEquals(first, second, "same seed, same numbers");
                again.setOffset(4096);
                again.generateNormal(out.address(), n, 0f, 1f);
                out.copyToHost(0, MemorySegment.ofArray(second), stream);
                assertNotEquals(first[0], second[0]);
            }
            assertThrows(IllegalArgumentException.class, () -> curand.generateNormal(out.address(), 3, 0f, 1f));
        }
    }

    @Test
    void compilesLoadsAndLaunchesAKernel() {
        String source = """
                extern "C" __global__ void affine(float *y, const float *x, float a, long long n, int b) {
                    extern __shared__ float scratch[];
                    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
                    scratch[threadIdx.x] = i < n ? x[i] : 0.0f;
                    __syncthreads();
                    if (i < n) y[i] = a * scratch[threadIdx.x] + (float) b;
                }
                """;
        byte[] ptx = Nvrtc.compileToPtx(source, "affine.cu", "--gpu-architecture=compute_" + context.computeCapability());
        assertEquals(0, ptx[ptx.length - 1]);
        int n = 100_003;
        float[] x = random(n, 5);
        try (CudaModule module = CudaModule.load(context, ptx);
             DeviceBuffer dx = upload(x); DeviceBuffer dy = DeviceBuffer.allocate(context, 4L * n)) {
            CudaFunction affine = module.function("affine");
            int block = 256;
            affine.setMaxDynamicSharedMemory(block * 4);
            affine.launch((n + block - 1) / block, 1, 1, block, 1, 1, block * 4, stream, dy, dx.address(), 2.5f, (long) n, -3);
            float[] y = new float[n];
            dy.copyToHost(0, MemorySegment.ofArray(y), stream);
            for (int i = 0; i < n; i++) {
                assertEquals(2.5f * x[i] - 3f, y[i], 1e-6f * Math.abs(2.5f * x[i]) + 1e-6f, "y[" + i + "]");
            }
            CudaException missing = assertThrows(CudaException.class, () -> module.function("nope"));
            assertEquals("CUDA_ERROR_NOT_FOUND", missing.codeName());
            // Kernel arguments are Long, Integer, Float, Double or DeviceBuffer; anything else is refused
            // before the driver sees it.
            assertThrows(IllegalArgumentException.class, () -> affine.launch(1, 1, 1, 1, 1, 1, 0, stream, "2.5"));
        }
        CudaException broken = assertThrows(CudaException.class,
                () -> Nvrtc.compileToPtx("__global__ void k() { undefined_thing; }", "broken.cu"));
        assertEquals("NVRTC_ERROR_COMPILATION", broken.codeName());
        assertTrue(broken.log().contains("undefined_thing"), broken.log());
    }

    @Test
    void outOfMemoryIsClearAndLeavesTheContextUsable() {
        try (DeviceBuffer warmUp = DeviceBuffer.allocate(context, 1 << 20)) {
            warmUp.zero(stream); // the first memset may load driver-internal code: not a leak
        }
        stream.synchronize();
        long before = context.memInfo()[0];
        CudaException e = assertThrows(CudaException.class, () -> DeviceBuffer.allocate(context, 1L << 50));
        assertTrue(e.isOutOfMemory(), e.getMessage());
        assertTrue(e.getMessage().contains("requested " + (1L << 50) + " bytes"), e.getMessage());
        for (int i = 0; i < 200; i++) {
            try (DeviceBuffer buffer = DeviceBuffer.allocate(context, (1 + i % 7) << 20)) {
                buffer.zero(stream);
            }
        }
        stream.synchronize();
        long after = context.memInfo()[0];
        assertTrue(Math.abs(after - before) <= 4L << 20, "device memory returns to where it started: "
                + before + " free before, " + after + " after");
    }

    private DeviceBuffer upload(float[] values) {
        DeviceBuffer buffer = DeviceBuffer.allocate(context, 4L * values.length);
        buffer.copyFromHost(MemorySegment.ofArray(values), 0, stream);
        return buffer;
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
