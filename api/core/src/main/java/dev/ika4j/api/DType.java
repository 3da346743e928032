/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * The element type of a {@link Tensor}: how many bytes one value takes and how it is stored.
 *
 * <p>Half-precision values live in 16-bit words: on the heap in a {@code short[]} holding the
 * raw bits, in a memory segment as two little-endian bytes. {@link Tensor#get} widens them to
 * float32 exactly; {@link Tensor#set} rounds a float32 to the nearest representable value, ties to
 * even, overflowing to infinity as IEEE 754 says.
 *
 * <p>Backends compute in float32 today: they report a tensor of another dtype as not supported
 * ({@link AttentionBackend#supports}), never read it as float32 bits.
 */
public enum DType {
    /** IEEE 754 binary32. */
    FLOAT32(4),
    /** IEEE 754 binary16: 5 exponent bits, 10 fraction bits; largest finite value 65504. */
    FLOAT16(2),
    /** bfloat16: float32's 8 exponent bits with 7 fraction bits (the upper half of a float32). */
    BFLOAT16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes one element takes in storage: 4 for float32, 2 for the half types. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether values are stored in 16 bits ({@code short[]} on the heap). */
    public boolean isHalf() {
        return byteSize == 2;
    }

    /** The float32 value of one stored 16-bit word of this (half) dtype. */
    public float widen(short bits) {
        return switch (this) {
            case FLOAT16 -> Float.float16ToFloat(bits);
            case BFLOAT16 -> Float.intBitsToFloat((bits & 0xffff) << 16);
            case FLOAT32 -> throw new IllegalStateException("FLOAT32 is not stored in 16 bits");
        };
    }

    /** {@code value} rounded to this (half) dtype, nearest, ties to even; NaN stays NaN. */
    public short narrow(float value) {
        return switch (this) {
            case FLOAT16 -> Float.floatToFloat16(value);
            case BFLOAT16 -> {
                int bits = Float.floatToRawIntBits(value);
                if (Float.isNaN(value)) yield (short) ((bits >>> 16) | 0x0040);   // keep it a (quiet) NaN
                int rounding = 0x7fff + ((bits >>> 16) & 1);
                yield (short) ((bits + rounding) >>> 16);
            }
            case FLOAT32 -> throw new IllegalStateException("FLOAT32 is not stored in 16 bits");
        };
    }
}
