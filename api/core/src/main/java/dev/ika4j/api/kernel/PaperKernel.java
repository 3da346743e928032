/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * The attention kernels of <i>Implicit Kernel Attention</i> (Song et al., AAAI-21): each writes
 * the logit as a log-kernel plus an importance term, logit_ij = log kappa(q_i, k_j) + I(q_i) +
 * I(k_j), and ends in the same softmax as standard attention, so masks, causal, kvLengths, GQA and
 * a past cache apply unchanged. Softcap does not apply to them.
 *
 * <p>Backends that lack one throw {@link UnsupportedOperationException} naming it.
 */
public sealed interface PaperKernel extends AttentionKernel
        permits RbfImportanceKernel, IkaDirectKernel, IkaGeneratorKernel, CopulaKernel {}
