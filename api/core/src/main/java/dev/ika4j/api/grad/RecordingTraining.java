package dev.ika4j.api.grad;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;

/**
 * A backward pass that can also run the forward and keep what its backward needs (attention
 * weights, kernel products), so that a training step computes them once instead of twice. The
 * recorded forward computes what the backend's forward computes, to float rounding.
 */
public interface RecordingTraining extends AttentionTraining {
    /** Whether {@link #record} serves this kernel; when not, run the backend's forward and {@link #backward}. */
    boolean records(AttentionKernel kernel);

    /**
     * The forward pass (output and regulariser; no energy), with its intermediates kept.
     *
     * @throws IllegalArgumentException on the shape errors the forward rejects, or a kernel
     *                                  {@link #records} refuses
     */
    Recording record(Tensor q, Tensor k, Tensor v, AttentionOptions options);

    /** Gradients of {@code <dOut, output> + dRegularizer * regularizer} of a recorded forward. */
    AttentionGradients backward(Recording recording, Tensor dOut, double dRegularizer);

    /** A recorded forward: its result, and state only the recording backend reads. */
    interface Recording {
        AttentionResult result();
    }
}
