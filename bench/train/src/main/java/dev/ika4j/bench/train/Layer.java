/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.List;

/**
 * A row-wise layer on [rows][width] float64 activations. {@code forward} keeps what the next
 * {@code backward} needs; {@code backward} takes the gradient of the output, adds the parameters'
 * gradients to them and returns the gradient of the input.
 */
public interface Layer {
    double[] forward(double[] x, int rows);

    double[] backward(double[] dy);

    List<Param> parameters();
}
