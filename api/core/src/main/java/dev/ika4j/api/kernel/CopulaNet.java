/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * The encoder of the structured (copula) multi-head attention of section 5, the authors'
 * {@code CopulaNet}. Per batch and head, from the pooled m = [mean_i q_i ; mean_j k_j] (2d values):
 *
 * <pre>
 *   h      = LReLU(W1^T m + b1)                       (n values; n = d in the authors' code)
 *   mu     = W2^T h + b2                              (d values)
 *   logvar = W3^T h + b3 + log(prior_var)             (d values)
 *   t      = tanh(C^T h + cb)                         (d values, one per dimension r)
 * </pre>
 *
 * and per batch and dimension r the unit lower-triangular L = I + strict_lower(t t^T) over heads.
 *
 * @param w1 [2d, n]
 * @param b1 [n]
 * @param w2 [n, d]
 * @param b2 [d]
 * @param w3 [n, d]
 * @param b3 [d]
 * @param c  [n, d] (the authors' {@code copula_w1})
 * @param cb [d] (the authors' {@code copula_b1})
 */
public record CopulaNet(ParamTensor w1, ParamTensor b1, ParamTensor w2, ParamTensor b2, ParamTensor w3, ParamTensor b3,
                        ParamTensor c, ParamTensor cb) {
    public CopulaNet {
        Checks.rank("copula w1", w1, 2, "[2d, n]");
        Checks.rank("copula b1", b1, 1, "[n]");
        Checks.rank("copula w2", w2, 2, "[n, d]");
        Checks.rank("copula b2", b2, 1, "[d]");
        Checks.rank("copula w3", w3, 2, "[n, d]");
        Checks.rank("copula b3", b3, 1, "[d]");
        Checks.rank("copula c", c, 2, "[n, d]");
        Checks.rank("copula cb", cb, 1, "[d]");
        int n = w1.dim(1), d = w2.dim(1);
        boolean ok = w1.dim(0) == 2 * d && b1.dim(0) == n && w2.dim(0) == n && b2.dim(0) == d && w3.hasShape(n, d)
                && b3.dim(0) == d && c.hasShape(n, d) && cb.dim(0) == d;
        if (!ok) {
            throw new IllegalArgumentException("copula shapes do not chain as w1 [2d, n], b1 [n], w2/w3/c [n, d], b2/b3/cb [d]: got w1 "
                    + w1.shapeString() + ", b1 " + b1.shapeString() + ", w2 " + w2.shapeString() + ", b2 " + b2.shapeString()
                    + ", w3 " + w3.shapeString() + ", b3 " + b3.shapeString() + ", c " + c.shapeString() + ", cb " + cb.shapeString());
        }
    }

    public int headDim() { return w2.dim(1); }
    public int hidden() { return w1.dim(1); }
}
