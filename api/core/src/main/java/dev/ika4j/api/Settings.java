/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.List;
import java.util.Locale;

/**
 * Every setting ika4j reads from system properties and environment variables, in one place; the
 * table in {@code docs/settings.md} lists the same (a test keeps the two in step).
 *
 * <p>Precedence, for every setting: a value given in code (a {@link BackendConfig} method, a
 * backend name passed to {@link Backends#open(String)}) wins over the system property, which wins
 * over the environment variable, which wins over the built-in default. A blank value counts as
 * not set. Values are checked when read, with a message that names the property or variable.
 */
public final class Settings {
    private Settings() {}

    /** Which backend {@link Backends#open()} opens. */
    public static final Setting<String> BACKEND = Setting.of("ika.backend",
            "auto, reference, simd, cuda or another registered backend's name", "auto",
            "the backend Backends.open() and the ./ika commands use; auto takes the available one of highest priority",
            s -> s.toLowerCase(Locale.ROOT));

    /** Worker threads of a CPU backend. */
    public static final Setting<Integer> THREADS = Setting.of("ika.threads", "an integer >= 1",
            "all available processors", "threads one call of a CPU backend (simd) runs on", Setting.intAtLeast(1));

    /** The CUDA device index. */
    public static final Setting<Integer> DEVICE = Setting.of("ika.device", "an integer >= 0", "0",
            "the CUDA device the cuda backend opens", Setting.intAtLeast(0));

    /** TF32 tensor-core GEMMs on the GPU. */
    public static final Setting<Boolean> TF32 = Setting.of("ika.tf32", "true or false", "false",
            "TF32 tensor-core GEMMs in the cuda backend (about 1e-3 relative error instead of FP32's 1e-6)", Setting.bool());

    /** The GPU's attention path. */
    public static final Setting<BackendConfig.CudaPath> CUDA_PATH = Setting.of("ika.cuda.path", "auto, gemm or fused", "auto",
            "the cuda backend's standard-attention path: gemm (cuBLAS + softmax kernel, every option), fused (the flash "
                    + "kernel wherever it supports the call), auto (chosen per call)",
            Setting.oneOf(BackendConfig.CudaPath.class));

    /** The GPU's tensor-core kernel for half inputs, not yet run on a GPU: off unless asked for. */
    public static final Setting<Boolean> CUDA_HALF_TENSOR_CORES = Setting.of("ika.cuda.halfTensorCores", "true or false", "false",
            "unverified: float16/bfloat16 Q, K and V go to the cuda backend's tensor-core flash kernel (checked by the CPU "
                    + "emulation only, not yet on a GPU) instead of being widened to float32; calls the fused path takes "
                    + "(no mask, softcap or score output), head dims up to 128, compute capability 8.0 or newer",
            Setting.bool());

    /** Size of the GPU's score block. */
    public static final Setting<Long> SCORE_BUDGET_BYTES = Setting.of("ika.scoreBudgetBytes", "an integer >= 1 (bytes)",
            "min(1 GiB, free device memory / 4)",
            "the cuda backend's score-matrix block; longer problems run in query blocks that fit it", Setting.longAtLeast(1));

    /** Extra directories to find the CUDA libraries in. */
    public static final Setting<String> CUDA_LIBDIR = Setting.of("ika.cuda.libdir",
            "directories separated by the path separator (':' on Linux)", "none",
            "searched first for libcuda, libcublas, libcurand and libnvrtc, before CUDA_HOME, CUDA_PATH, "
                    + "/usr/local/cuda, pip's nvidia wheels and the system loader path", s -> s);

    /** simd tuning: query rows per task. */
    public static final Setting<Integer> SIMD_QUERY_BLOCK = Setting.of("ika.simd.queryBlock", "an integer in [1, 4096]", "64",
            "simd tuning: query rows per task of standard attention, rounded up to a multiple of 4 "
                    + "(docs/benchmarks/tuning.md)", Setting.intBetween(1, 4096));

    /** simd tuning: keys per softmax step. */
    public static final Setting<Integer> SIMD_KEY_BLOCK = Setting.of("ika.simd.keyBlock", "an integer in [1, 65536]", "256",
            "simd tuning: keys per online-softmax step of standard attention, rounded up to a multiple of the key tile "
                    + "(4 vectors of floats)", Setting.intBetween(1, 65536));

    /** simd: the vector width the kernels run at. */
    public static final Setting<Integer> SIMD_VECTOR_BITS = Setting.of("ika.simd.vectorBits", "128, 256 or 512",
            "the CPU's preferred width", "simd: vector width of the kernels, at most the CPU's own (a narrower one tests or "
                    + "measures the 128- and 256-bit code on a wider CPU); read once, when the kernels load",
            t -> switch (t) {
                case "128" -> 128;
                case "256" -> 256;
                case "512" -> 512;
                default -> null;
            });

    /** simd: whether the kernels use fused multiply-add. */
    public static final Setting<String> SIMD_FMA = Setting.of("ika.simd.fma", "true, false or auto", "auto",
            "simd: fused multiply-add in the kernels; auto uses it where the JVM has FMA instructions and they are fast "
                    + "(Lucene's rule: not on AMD below 256-bit vectors), false takes a multiply and an add; read once",
            t -> switch (t.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "false", "auto" -> t.toLowerCase(java.util.Locale.ROOT);
                default -> null;
            });

    /** Benchmarks: how long a benchmark primes the JIT before measuring. */
    public static final Setting<Long> BENCH_PRIME_MILLIS = Setting.of("ika.bench.primeMillis", "an integer >= 0 (milliseconds)",
            "1000", "./ika bench and ./ika demo: how long each backend is called before it is timed, so the JIT "
                    + "has compiled it", Setting.longAtLeast(0));

    /** The tools' project directory. */
    public static final Setting<String> ROOT = Setting.of("ika.root", "a directory", "the working directory (./ika sets it)",
            "where ./ika bench and ./ika reproduce write docs/", s -> s);

    /** Every setting above, in the order of the table. */
    public static List<Setting<?>> all() {
        return List.of(BACKEND, THREADS, DEVICE, TF32, CUDA_PATH, CUDA_HALF_TENSOR_CORES, SCORE_BUDGET_BYTES, CUDA_LIBDIR, SIMD_QUERY_BLOCK,
                SIMD_KEY_BLOCK, SIMD_VECTOR_BITS, SIMD_FMA, BENCH_PRIME_MILLIS, ROOT);
    }
}
