/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * Which similarity an attention call uses to form its logits. Every kernel ends the same way,
 * out_i = sum_j softmax_j(logit_ij) v_j, so masks, causal, lengths and GQA apply to all of them.
 * {@link StandardKernel} is scaled dot-product attention; {@link PaperKernel} is the family of
 * <i>Implicit Kernel Attention</i> (kernel x importance, L^p importance, IKA-direct, the spectral
 * generator, the copula-coupled heads, the linear-time form).
 *
 * <p>Implementations are immutable values (a seeded {@link NoiseSource} aside, which counts its
 * draws); backends switch over them and throw
 * {@link UnsupportedOperationException} naming themselves and the kernel for one they lack.
 */
public sealed interface AttentionKernel permits StandardKernel, PaperKernel, GatKernel {
    /** Short name used in messages, the command line and benchmarks. */
    String name();

    /** The standard scaled dot-product kernel. */
    static AttentionKernel standard() {
        return StandardKernel.INSTANCE;
    }
}
