/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.kernels;

import dev.ika4j.cuda.internal.CudaContext;
import dev.ika4j.cuda.internal.CudaFunction;
import dev.ika4j.cuda.internal.CudaModule;

/**
 * The tensor-core kernels for float16 and bfloat16 inputs ({@code flash_half.cu}): a module of
 * its own, compiled only on devices of compute capability 8.0 or newer (mma.sync.m16n8k16 with
 * float32 accumulators), so that older devices never compile it.
 */
public final class HalfFlashKernels implements AutoCloseable {
    /** The oldest compute capability (times ten) the module compiles for. */
    public static final int MIN_COMPUTE_CAPABILITY = 80;
    /** Query rows per block and threads per block (see flash_half.cu). */
    public static final int ROWS = 64, THREADS = 128;

    private final CudaModule module;
    private final CudaFunction f16d64, f16d128, bf16d64, bf16d128;
    /** Sets the flag when a float16 (bfloat16) buffer holds an infinity or NaN. */
    public final CudaFunction flagNonFiniteF16, flagNonFiniteBf16;
    private final int sharedOptin;

    private HalfFlashKernels(CudaModule module, int sharedOptin) {
        this.module = module;
        this.sharedOptin = sharedOptin;
        this.f16d64 = module.function("ika_flash_f16_d64");
        this.f16d128 = module.function("ika_flash_f16_d128");
        this.bf16d64 = module.function("ika_flash_bf16_d64");
        this.bf16d128 = module.function("ika_flash_bf16_d128");
        this.flagNonFiniteF16 = module.function("ika_flag_nonfinite_f16");
        this.flagNonFiniteBf16 = module.function("ika_flag_nonfinite_bf16");
        for (int dm : new int[] {64, 128}) {
            if (sharedBytes(dm) > sharedOptin) continue;
            for (CudaFunction f : dm == 64 ? new CudaFunction[] {f16d64, bf16d64} : new CudaFunction[] {f16d128, bf16d128}) {
                f.setMaxDynamicSharedMemory(sharedBytes(dm));
            }
        }
    }

    /** Compiles (or takes from the cache) and loads the module, or null on a device older than 8.0. */
    public static HalfFlashKernels load(CudaContext ctx) {
        int cc = ctx.computeCapability();
        if (cc < MIN_COMPUTE_CAPABILITY) return null;
        return new HalfFlashKernels(CudaModule.load(ctx, KernelLibrary.ptx("flash_half.cu", cc)), ctx.maxSharedMemoryPerBlockOptin());
    }

    /** Q, K and V tiles of 64 padded rows of halves, and the guarded path's float P tile. */
    public static int sharedBytes(int maxDim) {
        return 3 * ROWS * (maxDim + 8) * 2 + ROWS * (ROWS + 4) * Float.BYTES;
    }

    /**
     * The kernel for head dims up to 128 ({@code d} and {@code vDim} both), or null when they are
     * larger or the device cannot give it the shared memory it needs.
     */
    public KernelLibrary.Flash forDims(int d, int vDim, boolean bf16) {
        int dm = Math.max(d, vDim) <= 64 ? 64 : Math.max(d, vDim) <= 128 ? 128 : 0;
        if (dm == 0 || sharedBytes(dm) > sharedOptin) return null;
        CudaFunction f = dm == 64 ? (bf16 ? bf16d64 : f16d64) : (bf16 ? bf16d128 : f16d128);
        return new KernelLibrary.Flash(f, sharedBytes(dm));
    }

    @Override
    public void close() {
        module.close();
    }
}
