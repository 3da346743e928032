/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The two dense products of the linear-time backward, on row-major panels whose long side (the
 * features, thousands wide) is the vector axis. That side is cut into blocks of {@link #BLOCK}
 * columns so that the panel read many times stays in L2 while every row block passes over it;
 * four rows at a time in registers, so each loaded vector feeds four FMAs.
 */
final class PanelProducts {
    /** Columns per block: 512 floats x 80 rows = 160 KiB, the size of S or R's slice that is reused. */
    static final int BLOCK = 512;

    private PanelProducts() {}

    /**
     * c[r * n + t] += sum_k a[r * ka + k] * b[k * n + t] for r < rows, t < n; rows a multiple of 4,
     * n a multiple of {@link Rows#LANES}.
     */
    static void addProduct(float[] a, int rows, int ka, float[] b, int n, float[] c) {
        int L = Rows.LANES;
        for (int t0 = 0; t0 < n; t0 += BLOCK) {
            int t1 = Math.min(n, t0 + BLOCK);
            for (int r = 0; r < rows; r += 4) {
                int a0 = r * ka, a1 = a0 + ka, a2 = a1 + ka, a3 = a2 + ka;
                int c0 = r * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
                int t = t0;
                for (; t + 2 * L <= t1; t += 2 * L) {
                    FloatVector s0 = ld(c, c0 + t), s1 = ld(c, c1 + t), s2 = ld(c, c2 + t), s3 = ld(c, c3 + t);
                    FloatVector u0 = ld(c, c0 + t + L), u1 = ld(c, c1 + t + L), u2 = ld(c, c2 + t + L), u3 = ld(c, c3 + t + L);
                    for (int k = 0; k < ka; k++) {
                        FloatVector x = ld(b, k * n + t), y = ld(b, k * n + t + L);
                        FloatVector w0 = bc(a[a0 + k]), w1 = bc(a[a1 + k]), w2 = bc(a[a2 + k]), w3 = bc(a[a3 + k]);
                        s0 = VectorMath.fma(x, w0, s0);
                        s1 = VectorMath.fma(x, w1, s1);
                        s2 = VectorMath.fma(x, w2, s2);
                        s3 = VectorMath.fma(x, w3, s3);
                        u0 = VectorMath.fma(y, w0, u0);
                        u1 = VectorMath.fma(y, w1, u1);
                        u2 = VectorMath.fma(y, w2, u2);
                        u3 = VectorMath.fma(y, w3, u3);
                    }
                    s0.intoArray(c, c0 + t);
                    s1.intoArray(c, c1 + t);
                    s2.intoArray(c, c2 + t);
                    s3.intoArray(c, c3 + t);
                    u0.intoArray(c, c0 + t + L);
                    u1.intoArray(c, c1 + t + L);
                    u2.intoArray(c, c2 + t + L);
                    u3.intoArray(c, c3 + t + L);
                }
                for (; t < t1; t += L) {
                    FloatVector s0 = ld(c, c0 + t), s1 = ld(c, c1 + t), s2 = ld(c, c2 + t), s3 = ld(c, c3 + t);
                    for (int k = 0; k < ka; k++) {
                        FloatVector x = ld(b, k * n + t);
                        s0 = VectorMath.fma(x, bc(a[a0 + k]), s0);
                        s1 = VectorMath.fma(x, bc(a[a1 + k]), s1);
                        s2 = VectorMath.fma(x, bc(a[a2 + k]), s2);
                        s3 = VectorMath.fma(x, bc(a[a3 + k]), s3);
                    }
                    s0.intoArray(c, c0 + t);
                    s1.intoArray(c, c1 + t);
                    s2.intoArray(c, c2 + t);
                    s3.intoArray(c, c3 + t);
                }
            }
        }
    }

    /**
     * out[r * cols + c] = sum_t a[r * n + t] * b[c * n + t] for r < rows, c < cols; rows a
     * multiple of 4, cols even, n a multiple of {@link Rows#LANES}.
     */
    static void dots(float[] a, int rows, float[] b, int cols, int n, float[] out) {
        java.util.Arrays.fill(out, 0, rows * cols, 0f);
        int L = Rows.LANES;
        for (int t0 = 0; t0 < n; t0 += BLOCK) {
            int t1 = Math.min(n, t0 + BLOCK);
            for (int r = 0; r < rows; r += 4) {
                int a0 = r * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
                for (int c = 0; c < cols; c += 2) {
                    int b0 = c * n, b1 = b0 + n;
                    FloatVector s0 = FloatVector.zero(Rows.S), s1 = s0, s2 = s0, s3 = s0, u0 = s0, u1 = s0, u2 = s0, u3 = s0;
                    for (int t = t0; t < t1; t += L) {
                        FloatVector x = ld(b, b0 + t), y = ld(b, b1 + t);
                        FloatVector p0 = ld(a, a0 + t), p1 = ld(a, a1 + t), p2 = ld(a, a2 + t), p3 = ld(a, a3 + t);
                        s0 = VectorMath.fma(p0, x, s0);
                        s1 = VectorMath.fma(p1, x, s1);
                        s2 = VectorMath.fma(p2, x, s2);
                        s3 = VectorMath.fma(p3, x, s3);
                        u0 = VectorMath.fma(p0, y, u0);
                        u1 = VectorMath.fma(p1, y, u1);
                        u2 = VectorMath.fma(p2, y, u2);
                        u3 = VectorMath.fma(p3, y, u3);
                    }
                    int o = r * cols + c;
                    out[o] += VectorMath.sumLanes(s0);
                    out[o + cols] += VectorMath.sumLanes(s1);
                    out[o + 2 * cols] += VectorMath.sumLanes(s2);
                    out[o + 3 * cols] += VectorMath.sumLanes(s3);
                    out[o + 1] += VectorMath.sumLanes(u0);
                    out[o + cols + 1] += VectorMath.sumLanes(u1);
                    out[o + 2 * cols + 1] += VectorMath.sumLanes(u2);
                    out[o + 3 * cols + 1] += VectorMath.sumLanes(u3);
                }
            }
        }
    }

    private static FloatVector ld(float[] x, int o) {
        return FloatVector.fromArray(Rows.S, x, o);
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(Rows.S, v);
    }
}
