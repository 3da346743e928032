/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.kernels;

import dev.ika4j.cuda.internal.CudaContext;
import dev.ika4j.cuda.internal.CudaFunction;
import dev.ika4j.cuda.internal.CudaModule;
import dev.ika4j.cuda.internal.Nvrtc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CUDA C kernels shipped as resources beside this class, compiled by NVRTC once per compute
 * capability (the PTX is cached for the life of the process, so every backend on the same kind of
 * device reuses it) and loaded as modules into one context.
 *
 * <p>{@code attention.cu} holds the row kernels of the GEMM path (softmax, non-finite scan, exact
 * P.V, the scores output); {@code flash.cu} the fused kernels, which compute a whole attention without a score matrix;
 * {@code flash_half.cu} their tensor-core counterparts for half inputs ({@link HalfFlashKernels}, sm_80 and newer).
 */
public final class KernelLibrary implements AutoCloseable {
    /** The source files, resources in this package. */
    public static final List<String> SOURCES = List.of("attention.cu", "flash.cu", "flash_half.cu", "paper.cu");

    /** Every entry point the Java side launches, by source; a test checks each one is in the PTX. */
    public static final Map<String, List<String>> ENTRY_POINTS = Map.of(
            "attention.cu", List.of("ika_softmax_rows", "ika_softmax_staged", "ika_softmax_staged_plain",
                    "ika_flag_nonfinite", "ika_pv_exact", "ika_scores_out"),
            "flash.cu", List.of("ika_flash_d64", "ika_flash_d128"),
            "flash_half.cu", List.of("ika_flash_f16_d64", "ika_flash_f16_d128", "ika_flash_bf16_d64", "ika_flash_bf16_d128",
                    "ika_flag_nonfinite_f16", "ika_flag_nonfinite_bf16"),
            "paper.cu", PaperKernelLibrary.ENTRY_POINTS);

    /** Rows and keys per tile and threads per block of the fused kernels (see flash.cu). */
    public static final int FLASH_ROWS = 64, FLASH_THREADS = 256;

    private static final Map<String, byte[]> PTX_CACHE = new ConcurrentHashMap<>();

    private final CudaModule attention;
    private final CudaModule flash;
    public final CudaFunction softmaxRows;
    public final CudaFunction softmaxStaged;
    public final CudaFunction softmaxStagedPlain;
    public final CudaFunction flagNonFinite;
    public final CudaFunction pvExact;
    /** Copies one stage of a query block's scores into the scores output (ONNX qk_matmul_output). */
    public final CudaFunction scoresOut;
    private final CudaFunction flash64;
    private final CudaFunction flash128;
    /** Longest score row the staged softmax kernels take (the row sits in shared memory). */
    public final int maxStagedRow;
    private final int sharedOptin;

    private KernelLibrary(CudaModule attention, CudaModule flash, int sharedOptin) {
        this.attention = attention;
        this.flash = flash;
        this.sharedOptin = sharedOptin;
        this.softmaxRows = attention.function("ika_softmax_rows");
        this.softmaxStaged = attention.function("ika_softmax_staged");
        this.softmaxStagedPlain = attention.function("ika_softmax_staged_plain");
        this.flagNonFinite = attention.function("ika_flag_nonfinite");
        this.pvExact = attention.function("ika_pv_exact");
        this.scoresOut = attention.function("ika_scores_out");
        this.flash64 = flash.function("ika_flash_d64");
        this.flash128 = flash.function("ika_flash_d128");
        // The static shared memory of the reductions (3 x 32 words) comes on top of the row.
        this.maxStagedRow = Math.max(0, (sharedOptin - 1024) / Float.BYTES);
        if (maxStagedRow > 0) {
            softmaxStaged.setMaxDynamicSharedMemory(Float.BYTES * maxStagedRow);
            softmaxStagedPlain.setMaxDynamicSharedMemory(Float.BYTES * maxStagedRow);
        }
        if (flashSharedBytes(64) <= sharedOptin) flash64.setMaxDynamicSharedMemory(flashSharedBytes(64));
        if (flashSharedBytes(128) <= sharedOptin) flash128.setMaxDynamicSharedMemory(flashSharedBytes(128));
    }

    /** Compiles (or takes from the cache) and loads the kernels into {@code ctx}. */
    public static KernelLibrary load(CudaContext ctx) {
        int cc = ctx.computeCapability();
        int optin = ctx.maxSharedMemoryPerBlockOptin();
        byte[] attentionPtx = PTX_CACHE.computeIfAbsent("attention.cu@" + cc, key -> compile("attention.cu", cc));
        byte[] flashPtx = PTX_CACHE.computeIfAbsent("flash.cu@" + cc, key -> compile("flash.cu", cc));
        CudaModule attention = CudaModule.load(ctx, attentionPtx);
        CudaModule flash = null;
        try {
            flash = CudaModule.load(ctx, flashPtx);
            return new KernelLibrary(attention, flash, optin);
        } catch (RuntimeException e) {
            if (flash != null) flash.close();
            attention.close();
            throw e;
        }
    }

    /**
     * Dynamic shared memory of the fused kernel for dims up to {@code maxDim} (64 or 128): the
     * Q and K tiles with padded rows, the V tile.
     */
    public static int flashSharedBytes(int maxDim) {
        return Float.BYTES * (2 * FLASH_ROWS * (maxDim + 4) + FLASH_ROWS * maxDim);
    }

    /** A fused kernel and the dynamic shared memory its launch needs. */
    public record Flash(CudaFunction function, int sharedBytes) {}

    /**
     * The fused kernel for head dims up to 128 ({@code d} and {@code vDim} both), or null when
     * they are larger or the device cannot give it the shared memory it needs.
     */
    public Flash flashFor(int d, int vDim) {
        int dm = Math.max(d, vDim);
        if (dm <= 64 && flashSharedBytes(64) <= sharedOptin) return new Flash(flash64, flashSharedBytes(64));
        if (dm <= 128 && flashSharedBytes(128) <= sharedOptin) return new Flash(flash128, flashSharedBytes(128));
        return null;
    }

    /** The PTX of one source for compute capability {@code cc}, compiled once per process. */
    static byte[] ptx(String name, int cc) {
        return PTX_CACHE.computeIfAbsent(name + "@" + cc, key -> compile(name, cc));
    }

    private static byte[] compile(String name, int cc) {
        // No fast-math: the kernels rely on IEEE -inf and NaN behaving exactly.
        return Nvrtc.compileToPtx(source(name), name, "--gpu-architecture=compute_" + cc, "--std=c++17");
    }

    /** The text of one kernel source. */
    public static String source(String name) {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("kernel source " + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            flash.close();
        } finally {
            attention.close();
        }
    }
}
