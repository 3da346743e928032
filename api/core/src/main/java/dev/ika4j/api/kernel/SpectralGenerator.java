/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * The implicit spectral generator of section 4 (the authors' {@code WNet}): a small MLP that maps
 * one d-dimensional noise column z to a spectral point,
 *
 * <pre>
 *   h1 = LReLU(W1^T |z| + b1),  h2 = LReLU(W2^T h1 + b2),  omega = sign(z) * (W3^T h2 + b3)
 * </pre>
 *
 * with leaky-ReLU slope {@value #SLOPE}, applied to every (head, sample) column of a [d, heads, M]
 * noise tensor; the weights are shared by all heads and samples, as in the authors' code, where the
 * hidden widths n1 = n2 = d.
 *
 * @param w1 [d, n1]
 * @param b1 [n1]
 * @param w2 [n1, n2]
 * @param b2 [n2]
 * @param w3 [n2, d]
 * @param b3 [d]
 */
public record SpectralGenerator(ParamTensor w1, ParamTensor b1, ParamTensor w2, ParamTensor b2, ParamTensor w3, ParamTensor b3) {
    /** Negative slope of the leaky ReLU, as in the authors' code. */
    public static final double SLOPE = 0.2;

    public SpectralGenerator {
        Checks.rank("generator w1", w1, 2, "[d, n1]");
        Checks.rank("generator b1", b1, 1, "[n1]");
        Checks.rank("generator w2", w2, 2, "[n1, n2]");
        Checks.rank("generator b2", b2, 1, "[n2]");
        Checks.rank("generator w3", w3, 2, "[n2, d]");
        Checks.rank("generator b3", b3, 1, "[d]");
        int d = w1.dim(0), n1 = w1.dim(1), n2 = w2.dim(1);
        if (b1.dim(0) != n1 || w2.dim(0) != n1 || b2.dim(0) != n2 || w3.dim(0) != n2 || w3.dim(1) != d || b3.dim(0) != d) {
            throw new IllegalArgumentException("generator shapes do not chain as w1 [d, n1], b1 [n1], w2 [n1, n2], b2 [n2], w3 [n2, d], b3 [d]: got w1 "
                    + w1.shapeString() + ", b1 " + b1.shapeString() + ", w2 " + w2.shapeString() + ", b2 " + b2.shapeString()
                    + ", w3 " + w3.shapeString() + ", b3 " + b3.shapeString());
        }
    }

    /** d, the length of a noise column and of a spectral point. */
    public int headDim() { return w1.dim(0); }
    public int hidden1() { return w1.dim(1); }
    public int hidden2() { return w2.dim(1); }
}
