/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * Checks shared by the public value classes: element counts that cannot overflow, and options that
 * must survive the conversion to the float32 the backends compute in. Each names what it rejects.
 */
final class Sizes {
    /**
     * The most elements any tensor or mask may have: 2^60, so that a count times the widest
     * element (8 bytes) still fits a long. Real inputs are far below it; the bound only stops
     * products of dims from wrapping around.
     */
    static final long MAX_ELEMENTS = 1L << 60;

    private Sizes() {}

    /**
     * The product of {@code dims} (each already checked non-negative), or an
     * IllegalArgumentException naming {@code what} and {@code shape} if it exceeds {@link #MAX_ELEMENTS}.
     */
    static long elements(String what, String shape, int... dims) {
        long n = 1;
        for (int d : dims) {
            if (d == 0) return 0;
        }
        for (int d : dims) {
            if (n > MAX_ELEMENTS / d) {
                throw new IllegalArgumentException(what + ": " + shape + " has more than 2^60 elements (the product of its dims "
                        + "overflows)");
            }
            n *= d;
        }
        return n;
    }

    /**
     * {@code value} as the float32 the backends use, or an IllegalArgumentException naming the
     * option when the conversion would change its meaning: beyond Float.MAX_VALUE it becomes
     * infinite, and a positive value below Float.MIN_VALUE becomes 0 (which for some options means
     * "off").
     */
    static float float32(String name, double value) {
        float f = (float) value;
        if (Float.isInfinite(f) && !Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " " + value + " is beyond the float32 range the backends compute in "
                    + "(largest " + Float.MAX_VALUE + ")");
        }
        if (f == 0f && value != 0) {
            throw new IllegalArgumentException(name + " " + value + " is below the float32 range the backends compute in "
                    + "(it would become 0; smallest positive " + Float.MIN_VALUE + ")");
        }
        return f;
    }
}
