/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float32 building blocks at the machine's preferred width, each with a scalar tail so
 * any length works. Shared by every SIMD kernel; all methods are stateless and thread-safe.
 *
 * <p>Every loop over a long array keeps four independent accumulators: one FMA chain would wait
 * out the FMA latency (4 cycles) on every step, and two FMA units need at least 8 operations in
 * flight to stay busy, so reductions split the work across 4 vectors and combine them at the end.
 */
public final class VectorMath {
    /**
     * The vector width every kernel runs at: the preferred species unless the setting
     * {@code ika.simd.vectorBits} (128, 256 or 512) asks for a narrower one, so the 128- and
     * 256-bit code paths can be tested and measured on an AVX-512 machine. Static final so C2
     * folds every use into constants; read once per JVM. See {@link SimdWidth}.
     */
    public static final VectorSpecies<Float> SPECIES = SimdWidth.species();
    /**
     * Whether FloatVector.fma is a single fast instruction here (see {@link SimdWidth#fastFma}).
     * Without hardware FMA the Vector API computes fma lane by lane in Java, ten or more times
     * slower than a multiply and an add, so the kernels call {@link #fma} instead.
     */
    public static final boolean FAST_FMA = SimdWidth.fastFma(SPECIES.vectorBitSize());
    /** Float lanes per vector (16 with AVX-512, 8 with AVX2). */
    public static final int LANES = SPECIES.length();
    /** The int species of the same shape (bit tricks on float lanes). */
    static final VectorSpecies<Integer> INT_SPECIES = SPECIES.withLanes(int.class);

    // exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln 2 in [-ln2/2, ln2/2]. ln 2 is split
    // into a part exact in float (ln2Hi has 9 significant bits, so n * ln2Hi is exact for |n| <= 2^15)
    // and the rest (Cody-Waite), keeping r accurate to the last bit. exp(r) is the Cephes degree-7
    // minimax polynomial (about 1 ulp on that interval).
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    /**
     * 1.5 * 2^23: adding it to |y| < 2^22 rounds y to the nearest integer (the sum's ulp is 1), and
     * the integer then sits in the low mantissa bits of the sum, where a shift turns it into an
     * exponent. Cheaper than a float-to-int conversion and exact.
     */
    private static final float ROUND_MAGIC = 12582912f;
    /**
     * Inputs below this are clamped to it, where n = -126 and the result is exactly 0: exp of
     * anything below about -87 (results under 2^-125) is flushed to 0, and exp(-inf) = 0.
     */
    private static final float EXP_LO = -87.5f;
    /** Above this exp overflows float; the result is +inf. */
    private static final float EXP_HI = 88.72283935546875f;
    // Vector constants as static finals: C2 folds them, and no helper call is needed to make them
    // (every extra call in a Vector API method counts against C2's inlining node budget, and a
    // call that is not inlined boxes its vectors, which costs 10x).
    private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(SPECIES, -LN2_HI);
    private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(SPECIES, -LN2_LO);
    private static final FloatVector V_P2 = FloatVector.broadcast(SPECIES, P2);
    private static final FloatVector V_P3 = FloatVector.broadcast(SPECIES, P3);
    private static final FloatVector V_P4 = FloatVector.broadcast(SPECIES, P4);
    private static final FloatVector V_P5 = FloatVector.broadcast(SPECIES, P5);

    private VectorMath() {}

    /** a * b + c: one fused instruction where FMA is fast, else a multiply and an add. */
    public static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
        return FAST_FMA ? a.fma(b, c) : a.mul(b).add(c);
    }

    /** a * b + c with scalar b and c, as {@link #fma(FloatVector, FloatVector, FloatVector)}. */
    public static FloatVector fma(FloatVector a, float b, float c) {
        return FAST_FMA ? a.fma(b, c) : a.mul(b).add(c);
    }

    /** a * b + c with scalar b, as {@link #fma(FloatVector, FloatVector, FloatVector)}. */
    public static FloatVector fma(FloatVector a, float b, FloatVector c) {
        return FAST_FMA ? a.fma(FloatVector.broadcast(SPECIES, b), c) : a.mul(b).add(c);
    }

    /** a * b + c with scalar c, as {@link #fma(FloatVector, FloatVector, FloatVector)}. */
    public static FloatVector fma(FloatVector a, FloatVector b, float c) {
        return FAST_FMA ? a.fma(b, FloatVector.broadcast(SPECIES, c)) : a.mul(b).add(c);
    }

    /**
     * exp(x) lane-wise, relative error about 2 ulp; x below about -87 (results under 2^-125)
     * gives exactly 0 (so exp(-inf) = 0), x above 88.72 gives +inf, NaN gives NaN.
     *
     * <p>Inlined polynomial rather than {@code lanewise(VectorOperators.EXP)}, for two reasons.
     * Speed: on JDK 25 that operator is an out-of-line call into the SVML stub library (live
     * vector registers are spilled around it); measured here (AVX-512, 16 lanes, in a streaming
     * loop) it costs about 19-22 cycles per vector against 9-10 for this version, about 17
     * in-register operations. Reproducibility: the library operator may round differently in
     * interpreted and compiled code, while this one uses only IEEE-exact lane operations, so
     * every tier gives the same bits.
     */
    public static FloatVector exp(FloatVector x) {
        // compare + blend rather than lanewise(MAX): MAX must follow Math.max (NaN, -0.0) and
        // costs several instructions; a compare is false for NaN, so NaN passes through unchanged.
        FloatVector xc = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO));
        FloatVector t = fma(xc, LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = fma(n, V_NEG_LN2_HI, xc);
        r = fma(n, V_NEG_LN2_LO, r);
        FloatVector p = fma(r, P0, P1);
        p = fma(p, r, V_P2);
        p = fma(p, r, V_P3);
        p = fma(p, r, V_P4);
        p = fma(p, r, V_P5);
        p = fma(p, r.mul(r), r).add(1f);
        // 2^n as 2 * 2^(n-1): n is in the low bits of t; adding the bias 126 and shifting by 23
        // moves n - 1 + 127 into the exponent field and drops the magic number's bits. Biasing by
        // 126 rather than 127 keeps n = 128 (x up to 88.72) finite, and makes n = -126 the bit
        // pattern of +0.0, which is where EXP_LO lands.
        IntVector bits = t.reinterpretAsInts().add(126).lanewise(VectorOperators.LSHL, 23);
        FloatVector y = p.add(p).mul(bits.reinterpretAsFloats());
        return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /**
     * exp(x) for x &lt;= 0 or NaN (the softmax case, x = logit - running max): the same as {@link #exp}
     * without the overflow test, which cannot trigger there.
     */
    public static FloatVector expNonPositive(FloatVector x) {
        FloatVector xc = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO));
        FloatVector t = fma(xc, LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = fma(n, V_NEG_LN2_HI, xc);
        r = fma(n, V_NEG_LN2_LO, r);
        FloatVector p = fma(r, P0, P1);
        p = fma(p, r, V_P2);
        p = fma(p, r, V_P3);
        p = fma(p, r, V_P4);
        p = fma(p, r, V_P5);
        p = fma(p, r.mul(r), r).add(1f);
        IntVector bits = t.reinterpretAsInts().add(126).lanewise(VectorOperators.LSHL, 23);
        return p.add(p).mul(bits.reinterpretAsFloats());
    }

    /** The scalar twin of {@link #exp}, for tails; bit-compatible in spirit (same polynomial). */
    public static float exp(float x) {
        if (x > EXP_HI) return Float.POSITIVE_INFINITY;
        float xc = x < EXP_LO ? EXP_LO : x;
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);
        float n = t - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) + 126) << 23);
        return (p + p) * scale;
    }

    /**
     * tanh lane-wise as sign(x) * (1 - 2 / (exp(2|x|) + 1)), on {@link #exp}: absolute error about
     * 1e-7 (relative error grows for |x| below 1e-3, where tanh x is tiny anyway), which is the
     * float rounding of a soft-capped logit. Not {@code lanewise(VectorOperators.TANH)}: that
     * operator is free to give different roundings in interpreted and compiled code, and results
     * here must not depend on the JIT.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = exp(ax.add(ax));
        FloatVector t = FloatVector.broadcast(SPECIES, 1f).sub(FloatVector.broadcast(SPECIES, 2f).div(e.add(1f)));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
    }

    /** The scalar twin of {@link #tanh(FloatVector)}, with the same rounding. */
    public static float tanh(float x) {
        float ax = Math.abs(x);
        float t = 1f - 2f / (exp(ax + ax) + 1f);
        return x < 0f ? -t : t;
    }

    // Lane-swap shuffles for sumLanes: lane i <-> lane i ^ step.
    private static final VectorShuffle<Float> SWAP1 = swap(1), SWAP2 = swap(2), SWAP4 = swap(4), SWAP8 = swap(8);

    private static VectorShuffle<Float> swap(int step) {
        return step < LANES ? VectorShuffle.fromOp(SPECIES, i -> i ^ step) : null;
    }

    /**
     * The sum of the lanes, always added in the same order (a fixed pairwise tree). Use this, not
     * {@code reduceLanes(ADD)}, whose order of additions may differ between interpreted and
     * compiled code: attention must give bit-identical results on every call, whichever code
     * tier runs it.
     */
    public static float sumLanes(FloatVector v) {
        if (LANES > 16) {
            float s = 0f;
            for (int i = 0; i < LANES; i++) s += v.lane(i);
            return s;
        }
        if (LANES >= 16) v = v.add(v.rearrange(SWAP8));
        if (LANES >= 8) v = v.add(v.rearrange(SWAP4));
        if (LANES >= 4) v = v.add(v.rearrange(SWAP2));
        if (LANES >= 2) v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }

    /** sum_i a[aOff+i] * b[bOff+i] for i &lt; n. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int end = n - 4 * LANES; i <= end; i += 4 * LANES) {
            s0 = fma(FloatVector.fromArray(SPECIES, a, aOff + i), FloatVector.fromArray(SPECIES, b, bOff + i), s0);
            s1 = fma(FloatVector.fromArray(SPECIES, a, aOff + i + LANES),
                    FloatVector.fromArray(SPECIES, b, bOff + i + LANES), s1);
            s2 = fma(FloatVector.fromArray(SPECIES, a, aOff + i + 2 * LANES),
                    FloatVector.fromArray(SPECIES, b, bOff + i + 2 * LANES), s2);
            s3 = fma(FloatVector.fromArray(SPECIES, a, aOff + i + 3 * LANES),
                    FloatVector.fromArray(SPECIES, b, bOff + i + 3 * LANES), s3);
        }
        for (int end = n - LANES; i <= end; i += LANES) {
            s0 = fma(FloatVector.fromArray(SPECIES, a, aOff + i), FloatVector.fromArray(SPECIES, b, bOff + i), s0);
        }
        float sum = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) sum = Math.fma(a[aOff + i], b[bOff + i], sum);
        return sum;
    }

    /** y[yOff+i] += alpha * x[xOff+i] for i &lt; n. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int end = n - LANES; i <= end; i += LANES) {
            fma(FloatVector.fromArray(SPECIES, x, xOff + i), FloatVector.broadcast(SPECIES, alpha),
                    FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /** a[off+i] *= s for i &lt; n. */
    public static void scale(float[] a, int off, int n, float s) {
        int i = 0;
        for (int end = n - LANES; i <= end; i += LANES) {
            FloatVector.fromArray(SPECIES, a, off + i).mul(s).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] *= s;
    }

    /**
     * The largest of a[off .. off+n), ignoring NaN (-inf when n = 0 or every value is -inf or NaN).
     * Softmax callers rely on NaN reaching the row through exp(NaN), not through the max.
     */
    public static float maxIgnoringNaN(float[] a, int off, int n) {
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY), m1 = m0;
        int i = 0;
        for (int end = n - 2 * LANES; i <= end; i += 2 * LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, off + i);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, off + i + LANES);
            m0 = m0.blend(x0, x0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(x1, x1.compare(VectorOperators.GT, m1));
        }
        m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
        float m = m0.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) if (a[off + i] > m) m = a[off + i];
        return m;
    }

    /**
     * The softmax block step for one row, with no horizontal sum: a[off+i] = exp(a[off+i] - shift)
     * for i &lt; n (a multiple of {@link #LANES}), and the lane vector at {@code lanes[lanesOff]} becomes
     * lanes * scale + (lane-wise sums of those exps). Keeping the running sum as a vector moves the
     * one horizontal reduction to the end of the row, and returning nothing means no vector ever
     * crosses a call C2 might decline to inline (which would box it).
     */
    public static void expShiftAccumulate(float[] a, int off, int n, float shift, float[] lanes, int lanesOff, float scale) {
        FloatVector sum = FloatVector.fromArray(SPECIES, lanes, lanesOff).mul(scale);
        FloatVector sh = FloatVector.broadcast(SPECIES, shift);
        for (int i = 0; i < n; i += LANES) {
            FloatVector e = expNonPositive(FloatVector.fromArray(SPECIES, a, off + i).sub(sh));
            e.intoArray(a, off + i);
            sum = sum.add(e);
        }
        sum.intoArray(lanes, lanesOff);
    }

    /**
     * The softmax block step for one row: a[off+i] = exp(a[off+i] - shift) for i &lt; n (a multiple
     * of {@link #LANES}), and the lane-wise sums of those exps, started from zero, into the vector
     * at {@code lanes[lanesOff]}. A fresh sum per block keeps every chain of additions short (n /
     * LANES); the caller adds it to the running sum with {@link #kahanScaleAdd}.
     */
    public static void expShiftLanes(float[] a, int off, int n, float shift, float[] lanes, int lanesOff) {
        FloatVector sum = FloatVector.zero(SPECIES);
        FloatVector sh = FloatVector.broadcast(SPECIES, shift);
        for (int i = 0; i < n; i += LANES) {
            FloatVector e = expNonPositive(FloatVector.fromArray(SPECIES, a, off + i).sub(sh));
            e.intoArray(a, off + i);
            sum = sum.add(e);
        }
        sum.intoArray(lanes, lanesOff);
    }

    /**
     * {@link #expShiftLanes}, except that an input of -inf (a masked key) becomes -0.0 rather than
     * +0.0: still a zero weight, yet distinguishable from an exp that merely underflowed, so a P.V
     * pass over non-finite values can skip exactly the masked keys.
     */
    public static void expShiftLanesMarkingMasked(float[] a, int off, int n, float shift, float[] lanes, int lanesOff) {
        FloatVector sum = FloatVector.zero(SPECIES);
        FloatVector sh = FloatVector.broadcast(SPECIES, shift);
        for (int i = 0; i < n; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, off + i);
            FloatVector e = expNonPositive(x.sub(sh));
            e = e.blend(-0f, x.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            e.intoArray(a, off + i);
            sum = sum.add(e);
        }
        sum.intoArray(lanes, lanesOff);
    }

    /**
     * Kahan-compensated sum[off+i] = sum[off+i] * scale + add[addOff+i] for i &lt; n (a multiple of
     * {@link #LANES}), comp[off+i] holding the running compensation (the low-order part the sum
     * lost, negated; scaled along with the sum). A compensation that is not finite (the sum or the
     * addend is infinite or NaN) is dropped, so an infinite sum stays infinite as IEEE addition would
     * leave it, rather than turning into NaN through inf - inf. The true sum is sum - comp.
     */
    public static void kahanScaleAdd(float[] sum, float[] comp, int off, int n, float scale, float[] add, int addOff) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector s = FloatVector.fromArray(SPECIES, sum, off + i).mul(scale);
            FloatVector c = FloatVector.fromArray(SPECIES, comp, off + i).mul(scale);
            FloatVector y = FloatVector.fromArray(SPECIES, add, addOff + i).sub(c);
            FloatVector t = s.add(y);
            c = t.sub(s).sub(y);
            c = c.blend(0f, c.sub(c).compare(VectorOperators.NE, 0f));
            t.intoArray(sum, off + i);
            c.intoArray(comp, off + i);
        }
    }

    /** Whether some a[off+i], i &lt; n, is nonzero with |a[off+i]| below {@code bound} (NaN is not). */
    public static boolean anyNonZeroBelow(float[] a, int off, int n, float bound) {
        // On the bits: for x >= 0, 0 < x < bound (bound finite, positive) is 0 <= bits(x) - 1 <
        // bits(bound) - 1, and (bits - 1) & 0x7fffffff maps x = 0 (bits - 1 = -1) to the largest
        // int. So a lane-wise integer min, with no mask per vector (the mask form ran several
        // times slower: a loop-carried mask register chain).
        IntVector least = IntVector.broadcast(INT_SPECIES, Integer.MAX_VALUE);
        int i = 0;
        for (int end = n - LANES; i <= end; i += LANES) {
            IntVector bits = FloatVector.fromArray(SPECIES, a, off + i).reinterpretAsInts();
            least = least.min(bits.and(0x7fffffff).sub(1).and(0x7fffffff));
        }
        if (least.reduceLanes(VectorOperators.MIN) < Float.floatToRawIntBits(bound) - 1) return true;
        for (; i < n; i++) {
            float x = Math.abs(a[off + i]);
            if (x < bound && x != 0f) return true;
        }
        return false;
    }

    /** Whether every one of a[off .. off+n) is finite (neither infinite nor NaN). */
    public static boolean allFinite(float[] a, int off, int n) {
        // x * 0 is 0 for finite x and NaN for NaN or +-inf, so the sum is 0 exactly when all are finite.
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (int end = n - LANES; i <= end; i += LANES) acc = acc.add(FloatVector.fromArray(SPECIES, a, off + i).mul(0f));
        float check = sumLanes(acc);
        for (; i < n; i++) check += a[off + i] * 0f;
        return check == 0f;
    }

    /** a[off+i] -= b[off+i] for i &lt; n (a multiple of {@link #LANES}). */
    /** a = (a - b) * s over [off, off + n), n a multiple of LANES: one pass instead of two. */
    public static void subtractScale(float[] a, float[] b, int off, int n, float s) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector.fromArray(SPECIES, a, off + i).sub(FloatVector.fromArray(SPECIES, b, off + i)).mul(s).intoArray(a, off + i);
        }
    }

    public static void subtract(float[] a, float[] b, int off, int n) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector.fromArray(SPECIES, a, off + i).sub(FloatVector.fromArray(SPECIES, b, off + i)).intoArray(a, off + i);
        }
    }

    /** Elements per partial sum in {@link #expShiftSum}: each chain of additions stays short. */
    static final int SUM_BLOCK = 256;

    /**
     * a[off+i] = exp(a[off+i] - shift) for i &lt; n, an input of -inf (a masked key) becoming -0.0 (a
     * zero weight distinguishable from an exp that underflowed); returns their sum (NaN if any is
     * NaN). The sum is taken in blocks of {@link #SUM_BLOCK} whose partial sums are added with
     * Kahan compensation, so its relative error stays at a few ulps however long the row.
     */
    public static float expShiftSum(float[] a, int off, int n, float shift) {
        // One vector per iteration: exp is throughput-bound (no long dependency chain), and a
        // second inlined copy of exp would push the method past C2's inlining node budget.
        FloatVector total = FloatVector.zero(SPECIES), comp = total;
        FloatVector sh = FloatVector.broadcast(SPECIES, shift);
        int i = 0;
        for (int end = n - LANES; i <= end; ) {
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int stop = Math.min(end, i + SUM_BLOCK - LANES); i <= stop; i += LANES) {
                FloatVector x = FloatVector.fromArray(SPECIES, a, off + i);
                FloatVector e = expNonPositive(x.sub(sh)).blend(-0f, x.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                e.intoArray(a, off + i);
                sum = sum.add(e);
            }
            FloatVector y = sum.sub(comp);
            FloatVector t = total.add(y);
            comp = t.sub(total).sub(y);
            comp = comp.blend(0f, comp.sub(comp).compare(VectorOperators.NE, 0f));
            total = t;
        }
        float result = sumLanes(total.sub(comp));
        for (; i < n; i++) {
            float x = a[off + i];
            float e = x == Float.NEGATIVE_INFINITY ? -0f : exp(x - shift);
            a[off + i] = e;
            result += e;
        }
        return result;
    }
}
