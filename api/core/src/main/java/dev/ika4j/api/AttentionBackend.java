/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Map;

/**
 * A backend that computes attention. Obtain one from {@link Backends}; close it when done (the GPU
 * backend frees its stream, handles and modules).
 *
 * <p>Thread safety: every backend is safe for concurrent calls from many threads, each with its
 * own inputs and outputs. Tensors and resident tensors are not: do not write one from two calls at
 * once.
 *
 * <h2>Numeric guarantees</h2>
 *
 * <p><b>NaN and infinity rule</b> (every backend): a key is skipped, contributing nothing, exactly
 * when its final logit is -inf: masked by a boolean mask, by a -inf additive bias, by causal
 * masking or by valid lengths (or a kernel whose logit is itself -inf, such as log(0)). Every other
 * key contributes softmax weight times value under IEEE arithmetic, even when its weight underflows
 * to 0: so NaN or inf in its value, or in its logit, reaches the output row (0 * NaN is NaN), as in
 * the float64 reference. A row whose every key is skipped is written as zeros. A NaN or +inf logit
 * makes its row NaN.
 *
 * <p><b>Input range.</b> The reference accumulates in float64; its results are the float64 values
 * rounded to float32 once. The float32 backends ({@code simd}, {@code cuda}) agree with it to
 * float32 accuracy for finite inputs whose logits stay well inside the float32 range: for standard
 * attention |scale| * sum_c |q_c k_c| (and every logit plus its bias) below about 1e38
 * ({@code Float.MAX_VALUE} is 3.4e38), and values |v| up to 2^127. Beyond that a float32 backend
 * may give +-inf or NaN where the reference is finite (q and k of 1e20 give products of 1e40, which
 * no float32 holds). Within it, results are finite wherever the exact ones are: the folded scale
 * cannot overflow a finite logit, and the weighted sum of values cannot overflow. Values below the
 * float32 normal range (about 1e-38) are summed with the absolute error of subnormals. The paper's
 * spectral kernels compute their phases c W^T x and reduce them for cos and sin in float64, so any
 * phase a float64 holds (1e12 and beyond) gives the reference's features to float32 rounding.
 *
 * <p>Infinite inputs follow IEEE arithmetic in standard attention (an infinite q or k component
 * gives an infinite or NaN logit, as in float64). Two float32 limits remain: an infinite value
 * whose weight lies below float32's normal range (e^-87 of the row's largest) meets a weight of 0
 * there, so the row is NaN where the reference keeps the infinity; and the paper's kernels are
 * defined for finite q and k only (their -|q - k|^2 and importance terms turn an infinite
 * component into inf - inf), though NaN still propagates.
 *
 * <p><b>Summation error.</b> On {@code simd}, the softmax denominator and the weighted sum of
 * values are added in blocks with Kahan-compensated partial sums: the relative error of each is a
 * few float32 ulps (below 1e-5) however many keys, 2^20 and more. The {@code cuda} GEMM path
 * normalises the weights before its P.V product (cuBLAS order); its fused path keeps unnormalised
 * float32 running sums, whose error grows with the number of keys (about 1e-4 relative at 2^20
 * equal keys) and which can overflow for |v| above Float.MAX_VALUE / kv_seq.
 *
 * <p>Two ways to call: with host {@link Tensor}s (the backend copies to and from its own memory if
 * it has any), or with {@link ResidentTensor}s that stay in the backend's memory across calls.
 */
public interface AttentionBackend extends AutoCloseable {
    /** The backend's registry name ("reference", "portable", "simd", "cuda"). */
    String name();

    /**
     * Facts for users and the demo: vector width, device, thread count, library versions, in the
     * same order on every call and every run.
     */
    Map<String, String> properties();

    /**
     * Whether this backend computes {@code attention(q, k, v, options)}, and if not, why. Arguments
     * that no backend accepts (shapes that do not fit, a mask that does not broadcast) are not a
     * question of support: they throw here as they would in the call.
     *
     * @throws NullPointerException     naming a null argument
     * @throws IllegalArgumentException on the shape errors {@link #attention} rejects
     */
    Support supports(Tensor q, Tensor k, Tensor v, AttentionOptions options);

    /**
     * Attention with ONNX semantics; see {@link AttentionOptions}.
     *
     * @throws NullPointerException          naming a null argument
     * @throws IllegalArgumentException      on bad input, naming the argument and the shapes
     * @throws UnsupportedOperationException for a call this backend does not compute, with the
     *                                       reason {@link #supports} gives
     */
    AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionOptions options);

    /** Attention with default options. */
    default AttentionResult attention(Tensor q, Tensor k, Tensor v) {
        return attention(q, k, v, AttentionOptions.DEFAULT);
    }

    /** Allocates backend-resident storage for [batch, heads, seq, dim], contents unspecified. */
    ResidentTensor allocate(int batch, int heads, int seq, int dim);

    /** Copies a host tensor into new backend-resident storage. */
    ResidentTensor upload(Tensor host);

    /** Copies backend-resident data into {@code host}, whose shape must match. */
    void download(ResidentTensor src, Tensor host);

    /**
     * Attention on resident tensors into a resident output [batch, q_heads, q_seq, v_dim]. Takes
     * every option except a past KV cache, energy and scores outputs (use the host form for those).
     */
    void attention(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions options, ResidentTensor out);

    /**
     * This backend's training path: record a forward, then take its backward.
     *
     * @throws UnsupportedOperationException naming the backend when it has no backward pass
     */
    default AttentionTraining training() {
        throw new UnsupportedOperationException("backend '" + name() + "' has no backward pass; train with 'reference' or 'simd'");
    }

    /**
     * Prepares this backend for calls of the given shapes and options now, so that the first real
     * call does not pay for it: the JIT compilation of the CPU kernels (hundreds of milliseconds
     * on a cold JVM), the GPU's kernel compilation and library start-up. Runs the backend on small
     * random inputs with the options' code paths (kernel, causal, mask kind, softcap, energy)
     * once each, then until they run compiled code (their call times have dropped and settled)
     * and the JIT has gone quiet (C2 recompiles hot kernels for a while after their times look
     * steady; the compile time is read from {@code java.management} where that module is
     * resolved; it waits at most a second for that, since in a JVM busy compiling other code it
     * may never come), at most 3 s in all. For
     * services, combine it with the JDK's ahead-of-time cache (README, "Fast first call").
     *
     * @param options as the calls to come will pass them (a mask, past cache or valid lengths
     *                stand for their kind only: the warm-up makes its own of the right shape)
     * @param shapes  one or more shapes of the calls to come
     * @return the time spent
     * @throws IllegalArgumentException when no shape is given
     */
    default java.time.Duration warmUp(AttentionOptions options, AttentionShape... shapes) {
        return WarmUp.run(this, options, WarmUp.DEFAULT_BUDGET, shapes);
    }

    /** As {@link #warmUp(AttentionOptions, AttentionShape...)}, within {@code budget} instead of 3 s. */
    default java.time.Duration warmUp(java.time.Duration budget, AttentionOptions options, AttentionShape... shapes) {
        return WarmUp.run(this, options, budget, shapes);
    }

    /** Waits until all work issued by this thread is complete (a no-op for CPU backends). */
    default void synchronize() {}

    @Override
    void close();
}
