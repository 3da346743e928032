/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable float64 array of any rank in C (row-major) order: the learned parameters and the
 * noise of the paper's kernels (W1, W2 of shape [d, heads, M], generator and copula weights,
 * noise samples). Float64 so that training code can perturb and differentiate them exactly;
 * backends narrow to float32 where they compute in float32.
 */
public final class ParamTensor {
    private final double[] data;
    private final int[] shape;

    private ParamTensor(double[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Copies {@code data}, which must hold exactly the product of {@code shape} values. */
    public static ParamTensor of(double[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        checkLength(data.length, shape);
        return new ParamTensor(data.clone(), shape.clone());
    }

    /** Widens and copies {@code data}, which must hold exactly the product of {@code shape} values. */
    public static ParamTensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        checkLength(data.length, shape);
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return new ParamTensor(d, shape.clone());
    }

    /** A tensor of zeros. */
    public static ParamTensor zeros(int... shape) {
        return new ParamTensor(new double[checkLength(-1, shape)], shape.clone());
    }

    private static int checkLength(int length, int[] shape) {
        Objects.requireNonNull(shape, "shape");
        if (shape.length == 0) throw new IllegalArgumentException("shape must have at least one dimension");
        long n = 1;
        for (int s : shape) {
            if (s < 1) throw new IllegalArgumentException("every dimension must be >= 1, got shape " + Arrays.toString(shape));
            n *= s;
            if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
        }
        if (length >= 0 && length != n) {
            throw new IllegalArgumentException("data has " + length + " values but shape " + Arrays.toString(shape) + " needs " + n);
        }
        return (int) n;
    }

    public int rank() { return shape.length; }

    public int dim(int axis) { return shape[axis]; }

    public int[] shape() { return shape.clone(); }

    public int size() { return data.length; }

    /** The value at a flat C-order index. */
    public double at(int flatIndex) { return data[flatIndex]; }

    /** The value at the given indices, one per dimension. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " does not fit shape " + shapeString());
        }
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            if (index[a] < 0 || index[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape " + shapeString());
            }
            flat = flat * shape[a] + index[a];
        }
        return data[flat];
    }

    /** A copy of the values in C order. */
    public double[] toArray() { return data.clone(); }

    /** Whether the shape equals {@code expected}. */
    public boolean hasShape(int... expected) { return Arrays.equals(shape, expected); }

    /** "[a, b, c]". */
    public String shapeString() { return Arrays.toString(shape); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data); }

    @Override
    public String toString() { return "ParamTensor" + shapeString(); }
}
