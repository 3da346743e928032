/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Objects;

/**
 * Graph attention's score (GAT, Velickovic et al. 2018) as a kernel of the call, in one of two forms.
 * In GAT q = k = W h (the projected node features); {@code aSrc} and {@code aDst} are named as
 * PyTorch Geometric's {@code GATConv} names them ({@code att_src}, {@code att_dst}): a_src scores the
 * neighbour j (the message's source, a key), a_dst the receiving node i (a query). Both [q_heads, d].
 *
 * <ul>
 *   <li>{@link Form#GATCONV}: e_ij = LeakyReLU(a_dst[h] . q_i + a_src[h] . k_j), negative slope
 *       {@code negativeSlope} (0.2 in GAT), exactly GATConv's score; the call's scale is not used
 *       (GAT's score has none).
 *   <li>{@link Form#KERNEL}: e_ij = a_dst[h] . q_i + a_src[h] . k_j - (scale / 2) ||q_i - k_j||^2,
 *       the form the paper's decomposition gives. The paper writes exp(q.k / tau) =
 *       exp(-||q - k||^2 / (2 tau)) exp(||q||^2 / (2 tau)) exp(||k||^2 / (2 tau)): a stationary
 *       kernel of q - k times an importance of the query and one of the key. GAT's score without
 *       its LeakyReLU is a sum of a query term and a key term, i.e. that product with GAT's learned
 *       importances a_dst . q_i and a_src . k_j and no stationary kernel at all (the query's factor
 *       cancels in the softmax, so plain GAT ranks neighbours by a_src . k_j alone). The kernel
 *       form keeps GAT's two importances and puts the RBF stationary kernel back, with tau = 1 /
 *       scale. The LeakyReLU does not split into a query factor times a key factor, so it has no
 *       place in the decomposition; this form drops it rather than approximate it.
 * </ul>
 * Soft-capping does not apply to either form (refused).
 *
 * @param aSrc          [q_heads, d], the neighbour's (key's) attention vector
 * @param aDst          [q_heads, d], the receiving node's (query's) attention vector
 * @param negativeSlope LeakyReLU's slope for negative scores, finite and >= 0 (GATCONV form only)
 * @param form          which score
 */
public record GatKernel(ParamTensor aSrc, ParamTensor aDst, double negativeSlope, Form form) implements AttentionKernel {
    /** GAT's LeakyReLU slope. */
    public static final double DEFAULT_NEGATIVE_SLOPE = 0.2;

    /** The score: GATConv's own, or the paper's kernel form of it. */
    public enum Form { GATCONV, KERNEL }

    public GatKernel {
        Objects.requireNonNull(aSrc, "aSrc");
        Objects.requireNonNull(aDst, "aDst");
        Objects.requireNonNull(form, "form");
        if (aSrc.rank() != 2 || !aSrc.hasShape(aDst.shape())) {
            throw new IllegalArgumentException("gat: aSrc and aDst must both be [heads, d], got aSrc " + aSrc.shapeString()
                    + " and aDst " + aDst.shapeString());
        }
        if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("gat: negativeSlope must be finite and >= 0, got " + negativeSlope);
        }
    }

    /** GATConv's score with slope 0.2. */
    public GatKernel(ParamTensor aSrc, ParamTensor aDst) {
        this(aSrc, aDst, DEFAULT_NEGATIVE_SLOPE, Form.GATCONV);
    }

    @Override
    public String name() {
        return form == Form.GATCONV ? "gat" : "gat-kernel";
    }
}
