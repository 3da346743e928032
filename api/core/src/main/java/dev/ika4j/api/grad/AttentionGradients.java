package dev.ika4j.api.grad;

import dev.ika4j.api.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradients of one attention call: of the scalar loss {@code <dOut, output> + dRegularizer *
 * regularizer} with respect to every input the call depends on.
 *
 * @param dQ         like Q
 * @param dK         like K (the new keys only; the past cache's share is in {@code dPastKey})
 * @param dV         like V
 * @param dPastKey   like the past key cache, or null when the call had none
 * @param dPastValue like the past value cache, or null when the call had none
 * @param parameters the kernel's learned parameters by name (for example "w1", "w2"), each in the
 *                   layout of the parameter itself; empty for kernels without parameters
 */
public record AttentionGradients(Tensor dQ, Tensor dK, Tensor dV, Tensor dPastKey, Tensor dPastValue,
                                 Map<String, double[]> parameters) {
    public AttentionGradients {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The gradient of one named parameter; the exception lists the names this kernel has. */
    public double[] parameter(String name) {
        double[] g = parameters.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no parameter gradient named '" + name + "'; this kernel has "
                    + parameters.keySet());
        }
        return g;
    }
}
