package dev.ika4j.bench.train;

import dev.ika4j.api.kernel.AttentionKernel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A learnable attention kernel inside a model: the parameters it owns, and how to build the
 * immutable {@link AttentionKernel} of one call from their current values (drawing fresh noise
 * for kernels that sample).
 */
public interface KernelSpec {
    /** Short name for logs and reports. */
    String name();

    /** The parameters the kernel learns, under the names its gradients are reported by. */
    List<Param> parameters();

    /**
     * The kernel for one call with the parameters' current values.
     *
     * @param training whether this is a training step (noise drawn, training-only behaviour on)
     * @param rng      the source of any noise drawn
     */
    AttentionKernel build(boolean training, SplittableRandom rng);

    /** The parameter a gradient name from {@link dev.ika4j.api.grad.AttentionGradients} belongs to. */
    default Param parameter(String gradientName) {
        for (Param p : parameters()) if (p.name.equals(gradientName)) return p;
        throw new IllegalArgumentException("kernel " + name() + " has no parameter '" + gradientName + "'; it has "
                + parameters());
    }

    /** Adds a backward pass's parameter gradients to the parameters. */
    default void accumulate(Map<String, double[]> gradients) {
        gradients.forEach((n, g) -> parameter(n).accumulate(g));
    }

    /** The standard dot-product kernel: nothing to learn. */
    static KernelSpec standard() {
        return new KernelSpec() {
            @Override public String name() { return "standard"; }
            @Override public List<Param> parameters() { return List.of(); }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) { return AttentionKernel.standard(); }
        };
    }
}
