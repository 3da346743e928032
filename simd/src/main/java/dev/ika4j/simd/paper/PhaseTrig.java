/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * cos and sin of the spectral phases a = c W^T x, in float64, lane-wise and branch-free. The
 * phases can be large (|q| of a few hundred against W of 1e5 in the copula kernel gives 1e7 and
 * more), where a float32 phase has lost every fractional bit and a float32 octant reduction
 * saturates; so the phases are kept in float64 and reduced there: n = round(a 2/pi), r = a - n pi/2
 * with pi/2 in three parts and fused multiply-adds (Cody-Waite; each step's product is exact, so r
 * is good to about 1e-16 for |a| up to 2^50), then fdlibm's kernel polynomials on |r| &lt;= pi/4
 * (about 1 ulp in float64). Vectors with a lane beyond 2^50, infinite or NaN, go to {@link Math#sin}
 * and {@link Math#cos} (exact reduction, as the reference). Only IEEE lane operations, so every JIT
 * tier gives the same bits.
 */
final class PhaseTrig {
    static final VectorSpecies<Double> SD = VectorSpecies.of(double.class, VectorMath.SPECIES.vectorShape());
    /** Float lanes with the same count as {@link #SD}: where a double vector's results are stored. */
    private static final VectorSpecies<Float> SF = VectorSpecies.of(float.class,
            VectorShape.forBitSize(VectorMath.SPECIES.vectorBitSize() / 2));
    static final int LANES = SD.length();
    private static final VectorSpecies<Long> SL = VectorSpecies.of(long.class, SD.vectorShape());

    private static final double TWO_OVER_PI = 0x1.45f306dc9c883p-1;
    /** 1.5 * 2^52: adding it rounds |y| &lt; 2^51 to an integer held in the low mantissa bits. */
    private static final double ROUND = 0x1.8p52;
    private static final double PIO2_1 = 1.5707963267948966, PIO2_2 = 6.123233995736766e-17,
            PIO2_3 = -1.4973849048591698e-33;
    private static final DoubleVector V_PIO2_1 = DoubleVector.broadcast(SD, -PIO2_1),
            V_PIO2_2 = DoubleVector.broadcast(SD, -PIO2_2), V_PIO2_3 = DoubleVector.broadcast(SD, -PIO2_3);
    /** Beyond this the vector reduction hands over to Math.sin/cos. */
    private static final double LIMIT = 0x1p50;
    private static final double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
            S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08,
            S6 = 1.58969099521155010221e-10;
    private static final double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
            C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09,
            C6 = -1.13596475577881948265e-11;

    private PhaseTrig() {}

    /** Scratch for {@link #phi}: reduced phases, quadrants, and the cos and sin of both inputs. */
    static final class Work {
        double[] r = new double[0], cos = new double[0], sin = new double[0];
        long[] quadrant = new long[0];

        void ensure(int n) {
            if (r.length >= 2 * n) return;
            r = new double[2 * n];
            cos = new double[2 * n];
            sin = new double[2 * n];
            quadrant = new long[2 * n];
        }
    }

    /**
     * cosOut[outOff+t] = (cos a_t + cos b_t) * factor and sinOut[outOff+t] = (sin a_t + sin b_t) *
     * factor for t &lt; n (n a multiple of {@link #LANES}), a and b from {@code off}, rounded to float
     * once at the end.
     *
     * <p>In passes of one small loop each (reduce, polynomials, quadrants, sums), every pass a
     * method of its own: written as one loop, the body exceeds C2's inlining budget for a single
     * compilation (NodeCountInliningCutoff, counted over the Vector API's deep call trees), the
     * remaining helpers are called out of line with every vector boxed, and the whole ran about
     * four times slower (10.5 against 2.7 ns per element on an AVX-512 core).
     */
    static void phi(double[] a, double[] b, int off, int n, double factor, float[] cosOut, float[] sinOut, int outOff,
                    Work w) {
        w.ensure(n);
        reducePass(a, off, n, w, 0);
        reducePass(b, off, n, w, n);
        polyPass(w, 2 * n);
        quadrantPass(a, off, n, w, 0);
        quadrantPass(b, off, n, w, n);
        sumPass(w, n, factor, cosOut, sinOut, outOff);
    }

    /** Lanes at or beyond this in the quadrant array are vectors that go to Math.sin/cos. */
    private static final long FAR = Long.MIN_VALUE;

    /** r = x - n pi/2 and n (in the low bits of quadrant) for x[off..off+n), into w from wOff. */
    private static void reducePass(double[] x, int off, int n, Work w, int wOff) {
        for (int t = 0; t < n; t += LANES) {
            DoubleVector v = DoubleVector.fromArray(SD, x, off + t);
            VectorMask<Double> far = v.abs().compare(VectorOperators.GT, LIMIT).or(v.compare(VectorOperators.NE, v));
            if (far.anyTrue()) {
                w.quadrant[wOff + t] = FAR;
                DoubleVector.zero(SD).intoArray(w.r, wOff + t);
                continue;
            }
            DoubleVector nv = v.fma(TWO_OVER_PI, ROUND);
            reduce(v, nv.sub(ROUND)).intoArray(w.r, wOff + t);
            nv.reinterpretAsLongs().intoArray(w.quadrant, wOff + t);
        }
    }

    /** sin r and cos r of the first n reduced phases. */
    private static void polyPass(Work w, int n) {
        for (int t = 0; t < n; t += LANES) {
            DoubleVector r = DoubleVector.fromArray(SD, w.r, t);
            sinPoly(r).intoArray(w.sin, t);
            cosPoly(r).intoArray(w.cos, t);
        }
    }

    /** sin and cos of x from those of r and the quadrant; far vectors from Math.sin/cos. */
    private static void quadrantPass(double[] x, int off, int n, Work w, int wOff) {
        for (int t = 0; t < n; t += LANES) {
            int o = wOff + t;
            if (w.quadrant[o] == FAR) {
                for (int k = 0; k < LANES; k++) {
                    w.cos[o + k] = Math.cos(x[off + t + k]);
                    w.sin[o + k] = Math.sin(x[off + t + k]);
                }
                continue;
            }
            DoubleVector sv = DoubleVector.fromArray(SD, w.sin, o), cv = DoubleVector.fromArray(SD, w.cos, o);
            LongVector q = LongVector.fromArray(SL, w.quadrant, o);
            cosQuadrant(sv, cv, q).intoArray(w.cos, o);
            sinQuadrant(sv, cv, q).intoArray(w.sin, o);
        }
    }

    private static void sumPass(Work w, int n, double factor, float[] cosOut, float[] sinOut, int outOff) {
        for (int t = 0; t < n; t += LANES) {
            DoubleVector cosSum = DoubleVector.fromArray(SD, w.cos, t).add(DoubleVector.fromArray(SD, w.cos, n + t)).mul(factor);
            DoubleVector sinSum = DoubleVector.fromArray(SD, w.sin, t).add(DoubleVector.fromArray(SD, w.sin, n + t)).mul(factor);
            ((FloatVector) cosSum.convertShape(VectorOperators.D2F, SF, 0)).intoArray(cosOut, outOff + t);
            ((FloatVector) sinSum.convertShape(VectorOperators.D2F, SF, 0)).intoArray(sinOut, outOff + t);
        }
    }

    /** r = x - n pi/2 for integer-valued n, each product exact inside its FMA. */
    private static DoubleVector reduce(DoubleVector x, DoubleVector n) {
        DoubleVector r = n.fma(V_PIO2_1, x);
        r = n.fma(V_PIO2_2, r);
        return n.fma(V_PIO2_3, r);
    }

    private static DoubleVector sinPoly(DoubleVector r) {
        DoubleVector z = r.mul(r);
        DoubleVector p = z.fma(S6, S5).fma(z, DoubleVector.broadcast(SD, S4)).fma(z, DoubleVector.broadcast(SD, S3))
                .fma(z, DoubleVector.broadcast(SD, S2)).fma(z, DoubleVector.broadcast(SD, S1));
        return z.mul(r).fma(p, r);
    }

    private static DoubleVector cosPoly(DoubleVector r) {
        DoubleVector z = r.mul(r);
        DoubleVector p = z.fma(C6, C5).fma(z, DoubleVector.broadcast(SD, C4)).fma(z, DoubleVector.broadcast(SD, C3))
                .fma(z, DoubleVector.broadcast(SD, C2)).fma(z, DoubleVector.broadcast(SD, C1));
        return z.mul(z).fma(p, z.mul(-0.5).add(1.0));
    }

    /** sin(n pi/2 + r) from sin r and cos r: quadrant n mod 4 = 0: s, 1: c, 2: -s, 3: -c. */
    private static DoubleVector sinQuadrant(DoubleVector s, DoubleVector c, LongVector n) {
        DoubleVector v = s.blend(c, n.and(1L).compare(VectorOperators.NE, 0L).cast(SD));
        return v.blend(v.neg(), n.and(2L).compare(VectorOperators.NE, 0L).cast(SD));
    }

    /** cos(n pi/2 + r): quadrant 0: c, 1: -s, 2: -c, 3: s. */
    private static DoubleVector cosQuadrant(DoubleVector s, DoubleVector c, LongVector n) {
        DoubleVector v = c.blend(s, n.and(1L).compare(VectorOperators.NE, 0L).cast(SD));
        return v.blend(v.neg(), n.add(1L).and(2L).compare(VectorOperators.NE, 0L).cast(SD));
    }
}
