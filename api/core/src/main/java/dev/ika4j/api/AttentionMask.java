/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * An attention mask, boolean (true = may attend) or additive (added to the scaled scores), with
 * ONNX semantics: its dims broadcast, right-aligned, against [batch, heads, q_seq, total_kv_seq];
 * each dim is 1 or equal to the target, except the last, which may be shorter than the total key
 * length, in which case the missing columns are masked out (as if -inf).
 *
 * <p>This is the user's value; backends read it through {@link dev.ika4j.api.spi.MaskRows}, which
 * resolves the broadcast.
 */
public final class AttentionMask {
    private final boolean[] allowed;
    private final float[] bias;
    private final int[] given;  // as the caller passed them

    private AttentionMask(boolean[] allowed, float[] bias, int[] dims) {
        Objects.requireNonNull(dims, "dims");
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("mask dims must have rank 1 to 4, got " + Arrays.toString(dims));
        }
        for (int d : dims) {
            if (d < 1) throw new IllegalArgumentException("mask dims must be >= 1, got " + Arrays.toString(dims));
        }
        long n = Sizes.elements("mask", "dims " + Arrays.toString(dims), dims);
        int len = allowed != null ? allowed.length : bias.length;
        if (len != n) {
            throw new IllegalArgumentException("mask data has " + len + " elements but dims " + Arrays.toString(dims)
                    + " need " + n);
        }
        this.allowed = allowed;
        this.bias = bias;
        this.given = dims.clone();
    }

    /** A boolean mask: {@code true} marks a key the query may attend to. */
    public static AttentionMask bool(boolean[] allowed, int... dims) {
        return new AttentionMask(Objects.requireNonNull(allowed, "allowed"), null, Objects.requireNonNull(dims, "dims"));
    }

    /** An additive mask: each value is added to the scaled (and soft-capped) score. */
    public static AttentionMask additive(float[] bias, int... dims) {
        return new AttentionMask(null, Objects.requireNonNull(bias, "bias"), Objects.requireNonNull(dims, "dims"));
    }

    public boolean isBoolean() { return allowed != null; }

    /** The dims as given by the caller. */
    public int[] dims() { return given.clone(); }

    /** The backing boolean data (null for an additive mask), in the order of {@link #dims()}; not copied. */
    public boolean[] booleanData() { return allowed; }

    /** The backing additive data (null for a boolean mask), in the order of {@link #dims()}; not copied. */
    public float[] additiveData() { return bias; }

    @Override
    public String toString() {
        return (allowed != null ? "bool" : "additive") + " mask " + Arrays.toString(given);
    }
}
