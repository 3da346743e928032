/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The settings a backend is opened with, typed. Immutable; start from {@link #defaults()} and
 * change what you need:
 *
 * <pre>{@code
 * BackendConfig config = BackendConfig.defaults().withThreads(4).withTf32(true);
 * try (AttentionBackend backend = Backends.open("cuda", config)) { ... }
 * }</pre>
 *
 * <p>{@link #defaults()} reads each setting from its system property, else its environment
 * variable, else the built-in default ({@link Settings}; the table in {@code docs/settings.md});
 * a {@code with} method overrides that. A backend reads the settings that concern it and ignores
 * the rest: CPU backends {@link #threads()}, the GPU backend {@link #device()}, {@link #tf32()},
 * {@link #cudaPath()} and {@link #scoreBudgetBytes()}.
 */
public final class BackendConfig {
    /** The GPU backend's standard-attention path. */
    public enum CudaPath {
        /** Chosen per call: the fused kernel where it is expected to be faster and supports the call. */
        AUTO,
        /** Always the GEMM path: two cuBLAS GEMMs around a row-softmax kernel; every option. */
        GEMM,
        /** The fused flash-attention kernel wherever it supports the call, the GEMM path otherwise. */
        FUSED
    }

    private final int threads;
    private final int device;
    private final boolean tf32;
    private final CudaPath cudaPath;
    private final long scoreBudgetBytes;   // 0: the backend's own default

    private BackendConfig(int threads, int device, boolean tf32, CudaPath cudaPath, long scoreBudgetBytes) {
        this.threads = threads;
        this.device = device;
        this.tf32 = tf32;
        this.cudaPath = cudaPath;
        this.scoreBudgetBytes = scoreBudgetBytes;
    }

    /**
     * The settings of this process: each from its system property, else its environment variable,
     * else the built-in default.
     *
     * @throws IllegalArgumentException naming the property or variable whose value is not allowed
     */
    public static BackendConfig defaults() {
        return new BackendConfig(
                Settings.THREADS.get(Runtime.getRuntime().availableProcessors()),
                Settings.DEVICE.get(0),
                Settings.TF32.get(false),
                Settings.CUDA_PATH.get(CudaPath.AUTO),
                Settings.SCORE_BUDGET_BYTES.get(0L));
    }

    /** Threads one call of a CPU backend runs on, >= 1. */
    public int threads() { return threads; }

    /** The CUDA device index, >= 0. */
    public int device() { return device; }

    /** Whether the GPU backend may use TF32 tensor-core GEMMs. */
    public boolean tf32() { return tf32; }

    /** The GPU backend's standard-attention path. */
    public CudaPath cudaPath() { return cudaPath; }

    /** The GPU backend's score-block budget in bytes, or empty for its default. */
    public OptionalLong scoreBudgetBytes() {
        return scoreBudgetBytes == 0 ? OptionalLong.empty() : OptionalLong.of(scoreBudgetBytes);
    }

    /** @throws IllegalArgumentException when {@code threads < 1} */
    public BackendConfig withThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return new BackendConfig(threads, device, tf32, cudaPath, scoreBudgetBytes);
    }

    /** @throws IllegalArgumentException when {@code device < 0} */
    public BackendConfig withDevice(int device) {
        if (device < 0) throw new IllegalArgumentException("device must be >= 0, got " + device);
        return new BackendConfig(threads, device, tf32, cudaPath, scoreBudgetBytes);
    }

    public BackendConfig withTf32(boolean tf32) {
        return new BackendConfig(threads, device, tf32, cudaPath, scoreBudgetBytes);
    }

    public BackendConfig withCudaPath(CudaPath cudaPath) {
        return new BackendConfig(threads, device, tf32, Objects.requireNonNull(cudaPath, "cudaPath"), scoreBudgetBytes);
    }

    /** @throws IllegalArgumentException when {@code bytes < 1} */
    public BackendConfig withScoreBudgetBytes(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("scoreBudgetBytes must be >= 1, got " + bytes);
        return new BackendConfig(threads, device, tf32, cudaPath, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendConfig c && c.threads == threads && c.device == device && c.tf32 == tf32
                && c.cudaPath == cudaPath && c.scoreBudgetBytes == scoreBudgetBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(threads, device, tf32, cudaPath, scoreBudgetBytes);
    }

    @Override
    public String toString() {
        return "BackendConfig{threads=" + threads + ", device=" + device + ", tf32=" + tf32 + ", cudaPath="
                + cudaPath + ", scoreBudgetBytes=" + (scoreBudgetBytes == 0 ? "default" : scoreBudgetBytes) + "}";
    }
}
