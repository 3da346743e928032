/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/** Standard scaled dot-product attention: logit_ij = scale * q_i . k_j (soft-capped, masked). */
public record StandardKernel() implements AttentionKernel {
    public static final StandardKernel INSTANCE = new StandardKernel();

    @Override
    public String name() {
        return "standard";
    }
}
