package dev.ika4j.api.grad;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import java.util.ServiceLoader;

/**
 * Backward passes: the gradients of an attention call, for training.
 *
 * <p>The gradient returned is that of the scalar {@code <dOut, output> + dRegularizer *
 * regularizer}, where output and regularizer are what {@code attention(q, k, v, options)} returns
 * for the same arguments. A training loop passes its loss's gradient with respect to the output as
 * {@code dOut} and the weight it gives the regulariser (often 1) as {@code dRegularizer}.
 *
 * <p>Kernels that sample (generators, copula heads) are differentiated for the noise the options
 * carry: the gradients flow through the sampled distribution's parameters, never through the draw.
 * Pass the same explicit noise to the forward and the backward call.
 *
 * <p>A key that is masked, past the causal limit or past its batch's valid length gets no gradient
 * from the queries that cannot see it; a query whose every key is masked outputs zeros and passes no
 * gradient back.
 */
public interface AttentionTraining {
    /** The name of the backend whose forward these gradients belong to. */
    String name();

    /**
     * Gradients of {@code <dOut, output> + dRegularizer * regularizer}.
     *
     * @param dOut shaped like the output, [batch, q_heads, q_seq, v_dim]
     * @throws IllegalArgumentException on the shape errors the forward call rejects, or a dOut of
     *                                  the wrong shape
     */
    AttentionGradients backward(Tensor q, Tensor k, Tensor v, AttentionOptions options, Tensor dOut, double dRegularizer);

    /** Gradients of {@code <dOut, output>} alone. */
    default AttentionGradients backward(Tensor q, Tensor k, Tensor v, AttentionOptions options, Tensor dOut) {
        return backward(q, k, v, options, dOut, 0.0);
    }

    /**
     * The backward pass that belongs to {@code backend}: the backend itself when it implements this
     * interface, else a {@link Provider} registered for the backend's name (the float64 reference
     * registers one, as the simd backend does).
     *
     * @throws UnsupportedOperationException naming the backend when it has no backward pass
     */
    static AttentionTraining of(AttentionBackend backend) {
        if (backend instanceof AttentionTraining t) return t;
        for (Provider p : ServiceLoader.load(Provider.class, AttentionTraining.class.getClassLoader())) {
            if (p.backendName().equals(backend.name())) return p.create();
        }
        throw new UnsupportedOperationException("backend '" + backend.name()
                + "' has no backward pass; train with 'reference' or 'simd'");
    }

    /** Registers a backward pass for a backend that does not implement this interface itself. */
    interface Provider {
        /** The registry name of the backend whose forward this backward matches. */
        String backendName();

        AttentionTraining create();
    }
}
