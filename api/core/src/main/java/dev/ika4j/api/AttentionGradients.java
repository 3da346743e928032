/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Objects;

/**
 * The gradients of one attention call: of the scalar loss {@code <dOut, output> + dRegularizer *
 * regularizer} with respect to every input the call depends on, each in the layout of that input.
 *
 * @param dQ         like Q
 * @param dK         like K (the new keys only; the past cache's share is in {@code dPastKey})
 * @param dV         like V
 * @param dPastKey   like the past key cache, or null when the call had none
 * @param dPastValue like the past value cache, or null when the call had none
 * @param dKernel    the kernel's learned parameters' gradient, typed by kernel
 *                   ({@link KernelGradient#NONE} for kernels without parameters)
 */
public record AttentionGradients(Tensor dQ, Tensor dK, Tensor dV, Tensor dPastKey, Tensor dPastValue, KernelGradient dKernel) {
    public AttentionGradients {
        Objects.requireNonNull(dQ, "dQ");
        Objects.requireNonNull(dK, "dK");
        Objects.requireNonNull(dV, "dV");
        Objects.requireNonNull(dKernel, "dKernel");
        if ((dPastKey == null) != (dPastValue == null)) {
            throw new IllegalArgumentException("dPastKey and dPastValue are both given or both null");
        }
    }
}
