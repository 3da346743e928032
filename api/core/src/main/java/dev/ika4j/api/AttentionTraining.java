/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;


/**
 * A backend's training path, from {@link dev.ika4j.api.AttentionBackend#training()}: record the
 * forward, then take its backward.
 *
 * <pre>{@code
 * AttentionTraining training = backend.training();
 * AttentionTraining.Recording step = training.record(q, k, v, options);
 * Tensor out = step.result().output();                         // ... the loss, and dLoss/dOut
 * AttentionGradients g = training.backward(step, dOut, 1.0);   // g.dQ(), g.dK(), g.dV(), g.dKernel()
 * }</pre>
 *
 * <p>The recorded forward computes what the backend's {@code attention(q, k, v, options)} computes
 * (to float rounding) and keeps what its backward needs (attention weights, kernel products), so a
 * step computes them once. The gradient is that of the scalar {@code <dOut, output> + dRegularizer
 * * regularizer}: a training loop passes its loss's gradient with respect to the output as
 * {@code dOut} and the weight it gives the regulariser (often 1) as {@code dRegularizer}.
 *
 * <p>Kernels that sample (generators, copula heads) are differentiated for the noise the options
 * carry: the gradients flow through the sampled distribution's parameters, never through the draw.
 *
 * <p>A key that is masked, past the causal limit or past its batch's valid length gets no gradient
 * from the queries that cannot see it; a query whose every key is masked outputs zeros and passes no
 * gradient back. Implementations are thread-safe; a recording may be used by one backward at a time.
 */
public interface AttentionTraining {
    /** The name of the backend this training path belongs to. */
    String name();

    /**
     * The forward pass (output and regulariser), with what the backward needs kept.
     *
     * @throws NullPointerException          naming a null argument
     * @throws IllegalArgumentException      on the input errors the forward call rejects, or
     *                                       {@code returnEnergy} / a scores output (a recording returns
     *                                       the output only)
     * @throws UnsupportedOperationException for a call the backend does not support, with the
     *                                       reason its {@code supports} gives
     */
    Recording record(Tensor q, Tensor k, Tensor v, AttentionOptions options);

    /**
     * Gradients of {@code <dOut, output> + dRegularizer * regularizer} of a recorded forward.
     *
     * @param dOut shaped like the output, [batch, q_heads, q_seq, v_dim]
     * @throws IllegalArgumentException for a dOut of the wrong shape, a non-finite dRegularizer or a
     *                                  recording made by another training path
     */
    AttentionGradients backward(Recording recording, Tensor dOut, double dRegularizer);

    /** Gradients of {@code <dOut, output>} alone. */
    default AttentionGradients backward(Recording recording, Tensor dOut) {
        return backward(recording, dOut, 0.0);
    }

    /** A recorded forward: its result, and state only the training path that made it reads. */
    interface Recording {
        AttentionResult result();
    }
}
