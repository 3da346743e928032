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
 * <p>Two ways to call: with host {@link Tensor}s (the backend copies to and from its own memory if
 * it has any), or with {@link ResidentTensor}s that stay in the backend's memory across calls.
 */
public interface AttentionBackend extends AutoCloseable {
    /** The backend's registry name ("reference", "simd", "cuda"). */
    String name();

    /** Facts for users and the demo: vector width, device, thread count, library versions. */
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

    /** Waits until all work issued by this thread is complete (a no-op for CPU backends). */
    default void synchronize() {}

    @Override
    void close();
}
