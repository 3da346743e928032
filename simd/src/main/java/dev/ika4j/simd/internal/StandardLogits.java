/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Raw standard logits q_i . k_j for a block of query rows against one packed key tile
 * ({@link PackedKeys}): the first, kernel-specific half of fused standard attention.
 * Stateless and thread-safe.
 */
public final class StandardLogits {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final int TILE = PackedKeys.TILE;

    private StandardLogits() {}

    /**
     * Logits of {@code rows} query rows (q[qOff + r*dim ..], already multiplied by the scale)
     * against the TILE keys of the packed tile at {@code kt[ktOff]}, into s[sOff + r*ld ..].
     */
    public static void tile(float[] q, int qOff, int rows, int dim, float[] kt, int ktOff, float[] s, int sOff, int ld) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) tile4(q, qOff + r * dim, dim, kt, ktOff, s, sOff + r * ld, ld);
        for (; r < rows; r++) tile1(q, qOff + r * dim, dim, kt, ktOff, s, sOff + r * ld);
    }

    /**
     * 4 query rows x 4 vectors of keys (TILE keys). Per head-dim component c: 4 contiguous key
     * loads, 4 query broadcasts (folded into the FMA's memory operand by C2), 16 FMAs into 16
     * independent accumulators: twice the 8 that 4-cycle latency x 2 FMA units needs, at a 1:2
     * load:FMA ratio the load ports sustain. 16 + 4 + 1 live vectors fit the 32 zmm registers.
     * The loop over c is scalar, so any head dim works with no tail code.
     */
    static void tile4(float[] q, int qOff, int dim, float[] kt, int ktOff, float[] s, int sOff, int ld) {
        FloatVector a00 = FloatVector.zero(SP), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int q0 = qOff, q1 = qOff + dim, q2 = qOff + 2 * dim, q3 = qOff + 3 * dim;
        for (int c = 0; c < dim; c++) {
            int ko = ktOff + c * TILE;
            FloatVector k0 = FloatVector.fromArray(SP, kt, ko);
            FloatVector k1 = FloatVector.fromArray(SP, kt, ko + L);
            FloatVector k2 = FloatVector.fromArray(SP, kt, ko + 2 * L);
            FloatVector k3 = FloatVector.fromArray(SP, kt, ko + 3 * L);
            FloatVector w = FloatVector.broadcast(SP, q[q0 + c]);
            a00 = VectorMath.fma(k0, w, a00);
            a01 = VectorMath.fma(k1, w, a01);
            a02 = VectorMath.fma(k2, w, a02);
            a03 = VectorMath.fma(k3, w, a03);
            w = FloatVector.broadcast(SP, q[q1 + c]);
            a10 = VectorMath.fma(k0, w, a10);
            a11 = VectorMath.fma(k1, w, a11);
            a12 = VectorMath.fma(k2, w, a12);
            a13 = VectorMath.fma(k3, w, a13);
            w = FloatVector.broadcast(SP, q[q2 + c]);
            a20 = VectorMath.fma(k0, w, a20);
            a21 = VectorMath.fma(k1, w, a21);
            a22 = VectorMath.fma(k2, w, a22);
            a23 = VectorMath.fma(k3, w, a23);
            w = FloatVector.broadcast(SP, q[q3 + c]);
            a30 = VectorMath.fma(k0, w, a30);
            a31 = VectorMath.fma(k1, w, a31);
            a32 = VectorMath.fma(k2, w, a32);
            a33 = VectorMath.fma(k3, w, a33);
        }
        int s0 = sOff, s1 = sOff + ld, s2 = sOff + 2 * ld, s3 = sOff + 3 * ld;
        a00.intoArray(s, s0);
        a01.intoArray(s, s0 + L);
        a02.intoArray(s, s0 + 2 * L);
        a03.intoArray(s, s0 + 3 * L);
        a10.intoArray(s, s1);
        a11.intoArray(s, s1 + L);
        a12.intoArray(s, s1 + 2 * L);
        a13.intoArray(s, s1 + 3 * L);
        a20.intoArray(s, s2);
        a21.intoArray(s, s2 + L);
        a22.intoArray(s, s2 + 2 * L);
        a23.intoArray(s, s2 + 3 * L);
        a30.intoArray(s, s3);
        a31.intoArray(s, s3 + L);
        a32.intoArray(s, s3 + 2 * L);
        a33.intoArray(s, s3 + 3 * L);
    }

    /** One query row (block tails, single-token decoding): c unrolled by two for 8 accumulators. */
    static void tile1(float[] q, int qOff, int dim, float[] kt, int ktOff, float[] s, int sOff) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int c = 0;
        for (; c + 2 <= dim; c += 2) {
            int ko = ktOff + c * TILE;
            FloatVector w = FloatVector.broadcast(SP, q[qOff + c]);
            FloatVector u = FloatVector.broadcast(SP, q[qOff + c + 1]);
            a0 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko), w, a0);
            a1 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + L), w, a1);
            a2 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + 2 * L), w, a2);
            a3 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + 3 * L), w, a3);
            b0 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + TILE), u, b0);
            b1 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + TILE + L), u, b1);
            b2 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + TILE + 2 * L), u, b2);
            b3 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + TILE + 3 * L), u, b3);
        }
        if (c < dim) {
            int ko = ktOff + c * TILE;
            FloatVector w = FloatVector.broadcast(SP, q[qOff + c]);
            a0 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko), w, a0);
            a1 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + L), w, a1);
            a2 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + 2 * L), w, a2);
            a3 = VectorMath.fma(FloatVector.fromArray(SP, kt, ko + 3 * L), w, a3);
        }
        a0.add(b0).intoArray(s, sOff);
        a1.add(b1).intoArray(s, sOff + L);
        a2.add(b2).intoArray(s, sOff + 2 * L);
        a3.add(b3).intoArray(s, sOff + 3 * L);
    }

    /** s = cap * tanh(s / cap) over s[off .. off+n). */
    public static void softcap(float[] s, int off, int n, float cap) {
        float inv = 1f / cap;
        int k = 0;
        for (; k + L <= n; k += L) {
            VectorMath.tanh(FloatVector.fromArray(SP, s, off + k).mul(inv)).mul(cap).intoArray(s, off + k);
        }
        for (; k < n; k++) s[off + k] = cap * VectorMath.tanh(s[off + k] * inv);
    }
}
