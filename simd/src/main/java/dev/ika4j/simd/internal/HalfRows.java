/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products and multiply-adds straight from rows of float16 or bfloat16 words, widened to
 * float32 in registers as they are loaded: a decode step reads each cached key and value once, so
 * reading 2 bytes instead of 4 is what makes a half cache faster; no float32 copy is ever made.
 *
 * <p>JDK 25's Vector API has a scalar {@code Float16} but no float16-to-float32 lane conversion,
 * so the widening is integer lane work: the 16-bit words are sign-extended to int lanes
 * ({@code S2I}); bfloat16 is then a shift by 16 (it is the upper half of a float32); float16's
 * exponent and fraction are shifted into float32 position and multiplied by 2^112, which re-biases
 * the exponent of normal numbers and turns subnormals into the float32 normals they equal, both
 * exactly; infinities and NaN (exponent all ones) get float32's all-ones exponent; the sign is put
 * back last. Every float16 and bfloat16 value widens exactly, as {@link DType#widen} does.
 */
final class HalfRows {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = SP.length();
    private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, SP.vectorShape());
    private static final VectorSpecies<Short> SS = VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, SP.vectorBitSize() / 2)));
    private static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private HalfRows() {}

    /** Whether the lane shapes line up here (a half-width short vector per float vector). */
    static final boolean VECTOR = SS.length() == L;

    /** The float32 lanes of L half words from {@code a[off..]}. */
    static FloatVector load(boolean bf16, short[] a, int off) {
        return widen(bf16, (IntVector) ShortVector.fromArray(SS, a, off).convertShape(VectorOperators.S2I, SI, 0));
    }

    /** The float32 lanes of L little-endian half words from byte offset {@code byteOff} of {@code s}. */
    static FloatVector load(boolean bf16, MemorySegment s, long byteOff) {
        ShortVector v = ShortVector.fromMemorySegment(SS, s, byteOff, ByteOrder.LITTLE_ENDIAN);
        return widen(bf16, (IntVector) v.convertShape(VectorOperators.S2I, SI, 0));
    }

    private static FloatVector widen(boolean bf16, IntVector w) {
        if (bf16) return w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        IntVector em = w.and(0x7fff);
        IntVector shifted = em.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = em.compare(VectorOperators.GE, 0x7c00);
        IntVector bits = finite.blend(shifted.or(0x7f800000), special);
        return bits.or(w.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** q[qOff..qOff+n) . row (b, h, s) of the half tensor t, in float32. */
    static float dot(float[] q, int qOff, Tensor t, int b, int h, int s) {
        boolean bf16 = t.dtype() == DType.BFLOAT16;
        int n = t.dim();
        long at = t.offset(b, h, s);
        FloatVector s0 = FloatVector.zero(SP), s1 = s0;
        int c = 0;
        float sum;
        if (t.isHeap()) {
            short[] a = t.shortArray();
            int o = (int) at;
            if (VECTOR) {
                for (; c + 2 * L <= n; c += 2 * L) {
                    s0 = VectorMath.fma(FloatVector.fromArray(SP, q, qOff + c), load(bf16, a, o + c), s0);
                    s1 = VectorMath.fma(FloatVector.fromArray(SP, q, qOff + c + L), load(bf16, a, o + c + L), s1);
                }
                for (; c + L <= n; c += L) s0 = VectorMath.fma(FloatVector.fromArray(SP, q, qOff + c), load(bf16, a, o + c), s0);
            }
            sum = VectorMath.sumLanes(s0.add(s1));
            for (; c < n; c++) sum = Math.fma(q[qOff + c], t.dtype().widen(a[o + c]), sum);
        } else {
            MemorySegment seg = t.segment();
            if (VECTOR) {
                for (; c + L <= n; c += L) {
                    s0 = VectorMath.fma(FloatVector.fromArray(SP, q, qOff + c), load(bf16, seg, (at + c) * 2), s0);
                }
            }
            sum = VectorMath.sumLanes(s0);
            for (; c < n; c++) sum = Math.fma(q[qOff + c], t.dtype().widen(seg.getAtIndex(LE, at + c)), sum);
        }
        return sum;
    }

    /** acc[accOff + c] += w * row (b, h, s) of the half tensor t, for c &lt; dim. */
    static void axpy(float w, Tensor t, int b, int h, int s, float[] acc, int accOff) {
        boolean bf16 = t.dtype() == DType.BFLOAT16;
        int n = t.dim();
        long at = t.offset(b, h, s);
        FloatVector wv = FloatVector.broadcast(SP, w);
        int c = 0;
        if (t.isHeap()) {
            short[] a = t.shortArray();
            int o = (int) at;
            if (VECTOR) {
                for (; c + L <= n; c += L) {
                    VectorMath.fma(load(bf16, a, o + c), wv, FloatVector.fromArray(SP, acc, accOff + c)).intoArray(acc, accOff + c);
                }
            }
            for (; c < n; c++) acc[accOff + c] = Math.fma(w, t.dtype().widen(a[o + c]), acc[accOff + c]);
        } else {
            MemorySegment seg = t.segment();
            if (VECTOR) {
                for (; c + L <= n; c += L) {
                    VectorMath.fma(load(bf16, seg, (at + c) * 2), wv, FloatVector.fromArray(SP, acc, accOff + c))
                            .intoArray(acc, accOff + c);
                }
            }
            for (; c < n; c++) acc[accOff + c] = Math.fma(w, t.dtype().widen(seg.getAtIndex(LE, at + c)), acc[accOff + c]);
        }
    }
}
