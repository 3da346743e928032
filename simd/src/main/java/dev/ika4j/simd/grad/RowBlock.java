/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The three products of the spectral backward for a block of four query rows at once, so that
 * every vector of the transposed key features loaded from memory feeds four FMAs:
 * G = Phi_q Phi_k^T, dPhi_q = dG Phi_k and dPhi_k^T += Phi_q^T dG (row blocks of 4, features
 * [rows][f] for queries, [f][np] for keys).
 */
final class RowBlock {
    static final int ROWS = 4;

    private RowBlock() {}

    /**
     * g[go + r * np + j] = sum_t a[(i0 + r) * f + t] * bT[t * np + j] for r < 4, two vectors of keys at a
     * time (eight accumulators), so the four broadcast coefficients serve eight FMAs.
     */
    static void products(float[] a, int i0, int f, float[] bT, int np, float[] g, int go) {
        products(a, i0, f, bT, np, g, go, 0, np);
    }

    /** As above for the keys [j0, j1) only (multiples of the lanes); the rest of g is left as it is. */
    static void products(float[] a, int i0, int f, float[] bT, int np, float[] g, int go, int j0, int j1) {
        int a0 = i0 * f, a1 = a0 + f, a2 = a1 + f, a3 = a2 + f, L = Rows.LANES;
        int j = j0;
        for (; j + 2 * L <= j1; j += 2 * L) {
            FloatVector s0 = FloatVector.zero(Rows.S), s1 = s0, s2 = s0, s3 = s0, u0 = s0, u1 = s0, u2 = s0, u3 = s0;
            for (int t = 0; t < f; t++) {
                FloatVector k = FloatVector.fromArray(Rows.S, bT, t * np + j), k2 = FloatVector.fromArray(Rows.S, bT, t * np + j + L);
                FloatVector c0 = bc(a[a0 + t]), c1 = bc(a[a1 + t]), c2 = bc(a[a2 + t]), c3 = bc(a[a3 + t]);
                s0 = VectorMath.fma(k, c0, s0);
                s1 = VectorMath.fma(k, c1, s1);
                s2 = VectorMath.fma(k, c2, s2);
                s3 = VectorMath.fma(k, c3, s3);
                u0 = VectorMath.fma(k2, c0, u0);
                u1 = VectorMath.fma(k2, c1, u1);
                u2 = VectorMath.fma(k2, c2, u2);
                u3 = VectorMath.fma(k2, c3, u3);
            }
            s0.intoArray(g, go + j);
            s1.intoArray(g, go + np + j);
            s2.intoArray(g, go + 2 * np + j);
            s3.intoArray(g, go + 3 * np + j);
            u0.intoArray(g, go + j + L);
            u1.intoArray(g, go + np + j + L);
            u2.intoArray(g, go + 2 * np + j + L);
            u3.intoArray(g, go + 3 * np + j + L);
        }
        for (; j < j1; j += L) {
            FloatVector s0 = FloatVector.zero(Rows.S), s1 = s0, s2 = s0, s3 = s0;
            for (int t = 0; t < f; t++) {
                FloatVector k = FloatVector.fromArray(Rows.S, bT, t * np + j);
                s0 = VectorMath.fma(k, bc(a[a0 + t]), s0);
                s1 = VectorMath.fma(k, bc(a[a1 + t]), s1);
                s2 = VectorMath.fma(k, bc(a[a2 + t]), s2);
                s3 = VectorMath.fma(k, bc(a[a3 + t]), s3);
            }
            s0.intoArray(g, go + j);
            s1.intoArray(g, go + np + j);
            s2.intoArray(g, go + 2 * np + j);
            s3.intoArray(g, go + 3 * np + j);
        }
    }

    /** out[(i0 + r) * f + t] = sum_j dg[r * np + j] * bT[t * np + j] for r < 4. */
    static void dots(float[] dg, float[] bT, int np, int f, float[] out, int i0) {
        int o = i0 * f;
        for (int r = 0; r < 4; r++) java.util.Arrays.fill(out, o + r * f, o + r * f + f, 0f);
        dotsAdd(dg, bT, np, f, out, i0, 0, np);
    }

    /** out[(i0 + r) * f + t] += sum over j in [j0, j1) of dg[r * np + j] * bT[t * np + j] for r < 4. */
    static void dotsAdd(float[] dg, float[] bT, int np, int f, float[] out, int i0, int j0, int j1) {
        int o = i0 * f;
        for (int t = 0; t < f; t++) {
            FloatVector s0 = FloatVector.zero(Rows.S), s1 = s0, s2 = s0, s3 = s0;
            int bo = t * np;
            for (int j = j0; j < j1; j += Rows.LANES) {
                FloatVector k = FloatVector.fromArray(Rows.S, bT, bo + j);
                s0 = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, j), k, s0);
                s1 = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, np + j), k, s1);
                s2 = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, 2 * np + j), k, s2);
                s3 = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, 3 * np + j), k, s3);
            }
            out[o + t] += VectorMath.sumLanes(s0);
            out[o + f + t] += VectorMath.sumLanes(s1);
            out[o + 2 * f + t] += VectorMath.sumLanes(s2);
            out[o + 3 * f + t] += VectorMath.sumLanes(s3);
        }
    }

    /**
     * cT[t * np + j] += sum_r a[(i0 + r) * f + t] * dg[r * np + j]. Four rows of cT at a time with
     * the sixteen coefficients held in registers, so each stored vector carries four FMAs.
     */
    static void update(float[] a, int i0, int f, float[] dg, int np, float[] cT) {
        update(a, i0, f, dg, np, cT, 0, np);
    }

    /** As above for the keys [j0, j1) only (multiples of the lanes). */
    static void update(float[] a, int i0, int f, float[] dg, int np, float[] cT, int j0, int j1) {
        int a0 = i0 * f, a1 = a0 + f, a2 = a1 + f, a3 = a2 + f;
        int t = 0;
        for (; t + 4 <= f; t += 4) {
            FloatVector c00 = bc(a[a0 + t]), c01 = bc(a[a1 + t]), c02 = bc(a[a2 + t]), c03 = bc(a[a3 + t]);
            FloatVector c10 = bc(a[a0 + t + 1]), c11 = bc(a[a1 + t + 1]), c12 = bc(a[a2 + t + 1]), c13 = bc(a[a3 + t + 1]);
            FloatVector c20 = bc(a[a0 + t + 2]), c21 = bc(a[a1 + t + 2]), c22 = bc(a[a2 + t + 2]), c23 = bc(a[a3 + t + 2]);
            FloatVector c30 = bc(a[a0 + t + 3]), c31 = bc(a[a1 + t + 3]), c32 = bc(a[a2 + t + 3]), c33 = bc(a[a3 + t + 3]);
            int r0 = t * np, r1 = r0 + np, r2 = r1 + np, r3 = r2 + np;
            for (int j = j0; j < j1; j += Rows.LANES) {
                FloatVector g0 = FloatVector.fromArray(Rows.S, dg, j), g1 = FloatVector.fromArray(Rows.S, dg, np + j);
                FloatVector g2 = FloatVector.fromArray(Rows.S, dg, 2 * np + j), g3 = FloatVector.fromArray(Rows.S, dg, 3 * np + j);
                FloatVector s0 = FloatVector.fromArray(Rows.S, cT, r0 + j);
                FloatVector s1 = FloatVector.fromArray(Rows.S, cT, r1 + j);
                FloatVector s2 = FloatVector.fromArray(Rows.S, cT, r2 + j);
                FloatVector s3 = FloatVector.fromArray(Rows.S, cT, r3 + j);
                VectorMath.fma(g0, c00, VectorMath.fma(g1, c01, VectorMath.fma(g2, c02, VectorMath.fma(g3, c03, s0)))).intoArray(cT, r0 + j);
                VectorMath.fma(g0, c10, VectorMath.fma(g1, c11, VectorMath.fma(g2, c12, VectorMath.fma(g3, c13, s1)))).intoArray(cT, r1 + j);
                VectorMath.fma(g0, c20, VectorMath.fma(g1, c21, VectorMath.fma(g2, c22, VectorMath.fma(g3, c23, s2)))).intoArray(cT, r2 + j);
                VectorMath.fma(g0, c30, VectorMath.fma(g1, c31, VectorMath.fma(g2, c32, VectorMath.fma(g3, c33, s3)))).intoArray(cT, r3 + j);
            }
        }
        for (; t < f; t++) {
            FloatVector c0 = bc(a[a0 + t]), c1 = bc(a[a1 + t]), c2 = bc(a[a2 + t]), c3 = bc(a[a3 + t]);
            int r0 = t * np;
            for (int j = j0; j < j1; j += Rows.LANES) {
                FloatVector s = FloatVector.fromArray(Rows.S, cT, r0 + j);
                s = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, j), c0, s);
                s = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, np + j), c1, s);
                s = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, 2 * np + j), c2, s);
                s = VectorMath.fma(FloatVector.fromArray(Rows.S, dg, 3 * np + j), c3, s);
                s.intoArray(cT, r0 + j);
            }
        }
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(Rows.S, v);
    }
}
