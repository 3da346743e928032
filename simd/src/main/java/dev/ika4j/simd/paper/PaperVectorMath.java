/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * log lane-wise from plain arithmetic, branch-free. The library operator ({@code lanewise(LOG)})
 * rounds differently in interpreted and in compiled code (per-lane scalar fallbacks against
 * SVML), and the backend's results must not depend on the JIT tier; IEEE adds, multiplies and
 * FMAs give the same bits in every tier. The polynomial is Cephes' single-precision logf, about 1
 * to 2 ulp. (sin and cos live in {@link PhaseTrig}, in float64: the phases need it.)
 */
final class PaperVectorMath {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, SP.vectorShape());

    private PaperVectorMath() {}

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(SP, v);
    }

    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f, L3 = -1.2420140846e-1f,
            L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f, L6 = 2.0000714765e-1f, L7 = -2.4999993993e-1f, L8 = 3.3333331174e-1f;
    private static final float TWO_25 = 33554432f;

    // The polynomial's constants as static final vectors, so C2 folds them: built per call with
    // broadcast() they cost nodes of C2's inlining budget, and past that budget the tail of the
    // polynomial ran as boxed Java (about a tenth of the spectral kernel's time, in a profile).
    private static final FloatVector V_L0 = bc(L0), V_L1 = bc(L1), V_L2 = bc(L2), V_L3 = bc(L3), V_L4 = bc(L4),
            V_L5 = bc(L5), V_L6 = bc(L6), V_L7 = bc(L7), V_L8 = bc(L8), V_LN2_LO = bc(LN2_LO), V_LN2_HI = bc(LN2_HI),
            V_NEG_HALF = bc(-0.5f), V_SQRT_HALF = bc(SQRT_HALF), V_ONE = bc(1f);

    /**
     * log(x) as {@link #log}, with the special inputs (0, subnormals, infinities, negatives, NaN)
     * tested once per vector: where every lane is a positive normal float (the spectral logits'
     * (phiQ . phiK)^2 + eps nearly always), only the polynomial runs; otherwise {@link #log}.
     * Both give the same bits on normal lanes.
     */
    static FloatVector logFast(FloatVector x) {
        // Both compares are false for NaN, so NaN takes the general path.
        VectorMask<Float> normal = x.compare(VectorOperators.GE, Float.MIN_NORMAL).and(x.compare(VectorOperators.LE, Float.MAX_VALUE));
        if (!normal.allTrue()) return log(x);
        IntVector bits = x.reinterpretAsInts();
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).castShape(SP, 0);
        VectorMask<Float> small = m.compare(VectorOperators.LT, V_SQRT_HALF);
        FloatVector t = m.add(m, small).sub(V_ONE);
        e = e.sub(V_ONE, small);
        FloatVector z = t.mul(t);
        FloatVector y = VectorMath.fma(t, V_L0, V_L1);
        y = VectorMath.fma(y, t, V_L2);
        y = VectorMath.fma(y, t, V_L3);
        y = VectorMath.fma(y, t, V_L4);
        y = VectorMath.fma(y, t, V_L5);
        y = VectorMath.fma(y, t, V_L6);
        y = VectorMath.fma(y, t, V_L7);
        y = VectorMath.fma(y, t, V_L8);
        y = y.mul(t).mul(z);
        y = VectorMath.fma(e, V_LN2_LO, y);
        y = VectorMath.fma(z, V_NEG_HALF, y);
        return t.add(y).add(e.mul(V_LN2_HI));
    }

    /**
     * log(x): x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m by a degree-9 polynomial in m - 1,
     * e ln 2 added in two parts so it stays exact. 0 gives -inf, +inf gives +inf, negative values
     * and NaN give NaN; subnormals are scaled by 2^25 first. Split into small methods so that C2
     * inlines every part (a vector returned from a call that is not inlined is boxed).
     */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL).and(x.compare(VectorOperators.GT, 0f));
        FloatVector r = logNormal(x.blend(x.mul(TWO_25), sub), bc(0f).blend(25f, sub));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.compare(VectorOperators.NE, x)));
    }

    /** log of a positive normal x, less eShift ln 2. */
    private static FloatVector logNormal(FloatVector x, FloatVector eShift) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        FloatVector e = ((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).castShape(SP, 0)).sub(eShift);
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        // m < sqrt(1/2): take 2m - 1 and e - 1, so the polynomial's argument lies in [-0.29, 0.41].
        FloatVector t = m.add(bc(0f).blend(m, small)).sub(1f);
        return logPoly(t, e.sub(bc(0f).blend(1f, small)));
    }

    /** log(1 + t) + e ln 2. */
    private static FloatVector logPoly(FloatVector t, FloatVector e) {
        FloatVector z = t.mul(t);
        FloatVector y = VectorMath.fma(t, bc(L0), bc(L1));
        y = VectorMath.fma(y, t, bc(L2));
        y = VectorMath.fma(y, t, bc(L3));
        y = VectorMath.fma(y, t, bc(L4));
        y = VectorMath.fma(y, t, bc(L5));
        y = VectorMath.fma(y, t, bc(L6));
        y = VectorMath.fma(y, t, bc(L7));
        y = VectorMath.fma(y, t, bc(L8));
        y = y.mul(t).mul(z);
        y = VectorMath.fma(e, bc(LN2_LO), y);
        y = VectorMath.fma(z, bc(-0.5f), y);
        return t.add(y).add(e.mul(LN2_HI));
    }
}
