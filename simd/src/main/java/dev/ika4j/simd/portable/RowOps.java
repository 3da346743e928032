/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.simd.internal.FmaSupport;

/**
 * The loops the portable kernels are made of, written for C2's auto-vectoriser (SuperWord): each
 * is a row update, {@code y[j] += a * x[j]} over arrays indexed from 0 by the loop variable
 * alone, with no reduction and no offset arithmetic in the index. In that form C2 emits AVX-512
 * or AVX2 (NEON, SVE) instructions on its own; a dot-product reduction, or an index such as
 * {@code x[off + j]}, would keep it scalar (C2 cannot then rule out that the arrays overlap, and
 * it does not reorder float sums). Stateless and thread-safe.
 */
final class RowOps {
    /**
     * Whether the 4x4 updates use {@link Math#fma}. They must where FMA is a hardware
     * instruction: C2 unrolls, and only then vectorises, a loop whose body stays under its
     * {@code LoopUnrollLimit} (60 nodes); the 4x4 body as multiplies and adds (16 + 16 nodes, the
     * loads and stores besides) is over it and ran scalar (9 GFLOP/s on one AVX-512 core), the
     * same body as 16 FMA nodes is under it and vectorises (about 60). Where FMA is not a
     * hardware instruction, {@code Math.fma} is computed in software (BigDecimal) and would be a
     * hundred times slower, so the multiply-add form stays; so it does where the JVM cannot be
     * asked on x86 (old x86 CPUs lack FMA, every aarch64 CPU has it). {@code ika.simd.fma}
     * overrides, as for simd.
     */
    static final boolean FUSED = fused();

    private RowOps() {}

    private static boolean fused() {
        String v = FmaSupport.setting();
        if (!v.equals("auto")) return v.equals("true");
        return switch (FmaSupport.vmUsesFma()) {
            case YES -> true;
            case NO -> false;
            case UNKNOWN -> System.getProperty("os.arch", "").equals("aarch64");
        };
    }

    /** {@code s_r[j] += a_r * x[j]} for four rows at once, j below n: one load of x feeds four FMAs. */
    static void axpy4(float[] x, int n, float a0, float a1, float a2, float a3,
                      float[] s0, float[] s1, float[] s2, float[] s3) {
        for (int j = 0; j < n; j++) {
            float xj = x[j];
            s0[j] += a0 * xj;
            s1[j] += a1 * xj;
            s2[j] += a2 * xj;
            s3[j] += a3 * xj;
        }
    }

    /**
     * {@code s_r[j] += a_r0 * x0[j] + a_r1 * x1[j] + a_r2 * x2[j] + a_r3 * x3[j]} for four rows r
     * at once, j below n: four input rows and four output rows give 16 FMAs per 12 loads and
     * stores, where {@link #axpy4} does 4 per 9, and a quarter of the passes over the outputs.
     * The {@code a} are row-major: {@code a00 a01 a02 a03} belong to {@code s0}.
     */
    static void axpy4x4(float[] x0, float[] x1, float[] x2, float[] x3, int n,
                        float a00, float a01, float a02, float a03, float a10, float a11, float a12, float a13,
                        float a20, float a21, float a22, float a23, float a30, float a31, float a32, float a33,
                        float[] s0, float[] s1, float[] s2, float[] s3) {
        if (FUSED) {
            for (int j = 0; j < n; j++) {
                float y0 = x0[j], y1 = x1[j], y2 = x2[j], y3 = x3[j];
                s0[j] = Math.fma(a03, y3, Math.fma(a02, y2, Math.fma(a01, y1, Math.fma(a00, y0, s0[j]))));
                s1[j] = Math.fma(a13, y3, Math.fma(a12, y2, Math.fma(a11, y1, Math.fma(a10, y0, s1[j]))));
                s2[j] = Math.fma(a23, y3, Math.fma(a22, y2, Math.fma(a21, y1, Math.fma(a20, y0, s2[j]))));
                s3[j] = Math.fma(a33, y3, Math.fma(a32, y2, Math.fma(a31, y1, Math.fma(a30, y0, s3[j]))));
            }
            return;
        }
        for (int j = 0; j < n; j++) {
            float y0 = x0[j], y1 = x1[j], y2 = x2[j], y3 = x3[j];
            s0[j] += a00 * y0 + a01 * y1 + a02 * y2 + a03 * y3;
            s1[j] += a10 * y0 + a11 * y1 + a12 * y2 + a13 * y3;
            s2[j] += a20 * y0 + a21 * y1 + a22 * y2 + a23 * y3;
            s3[j] += a30 * y0 + a31 * y1 + a32 * y2 + a33 * y3;
        }
    }

    /** {@link #axpy4x4} for P.V: a copy of its own, so that the JIT profiles the two uses apart. */
    static void axpy4x4v(float[] x0, float[] x1, float[] x2, float[] x3, int n,
                        float a00, float a01, float a02, float a03, float a10, float a11, float a12, float a13,
                        float a20, float a21, float a22, float a23, float a30, float a31, float a32, float a33,
                        float[] s0, float[] s1, float[] s2, float[] s3) {
        if (FUSED) {
            for (int j = 0; j < n; j++) {
                float y0 = x0[j], y1 = x1[j], y2 = x2[j], y3 = x3[j];
                s0[j] = Math.fma(a03, y3, Math.fma(a02, y2, Math.fma(a01, y1, Math.fma(a00, y0, s0[j]))));
                s1[j] = Math.fma(a13, y3, Math.fma(a12, y2, Math.fma(a11, y1, Math.fma(a10, y0, s1[j]))));
                s2[j] = Math.fma(a23, y3, Math.fma(a22, y2, Math.fma(a21, y1, Math.fma(a20, y0, s2[j]))));
                s3[j] = Math.fma(a33, y3, Math.fma(a32, y2, Math.fma(a31, y1, Math.fma(a30, y0, s3[j]))));
            }
            return;
        }
        for (int j = 0; j < n; j++) {
            float y0 = x0[j], y1 = x1[j], y2 = x2[j], y3 = x3[j];
            s0[j] += a00 * y0 + a01 * y1 + a02 * y2 + a03 * y3;
            s1[j] += a10 * y0 + a11 * y1 + a12 * y2 + a13 * y3;
            s2[j] += a20 * y0 + a21 * y1 + a22 * y2 + a23 * y3;
            s3[j] += a30 * y0 + a31 * y1 + a32 * y2 + a33 * y3;
        }
    }

    /** {@code s[j] += a * x[j]} for j below n. */
    static void axpy(float[] x, int n, float a, float[] s) {
        for (int j = 0; j < n; j++) s[j] += a * x[j];
    }

    /** {@code s[j] *= a} for j below n. */
    static void scale(float[] s, int n, float a) {
        for (int j = 0; j < n; j++) s[j] *= a;
    }

    /** The largest of s[0..n), ignoring NaN; -inf when all are -inf or NaN. */
    static float maxIgnoringNaN(float[] s, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float x = s[j];
            m = x > m ? x : m;
        }
        return m;
    }

    /** {@code s[j] = exp(s[j] - shift)} for j below n; returns their sum (NaN if any is NaN). */
    static float expShift(float[] s, int n, float shift) {
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(s[j] - shift);
            s[j] = e;
            sum += e;
        }
        return sum;
    }
}
