package dev.ika4j.simd.paper;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * log(x) lane-wise in registers, for the spectral logit log(kappa + eps) of every (query, key)
 * pair: the library operator is an out-of-line SVML call that spills every live vector register
 * around it. Cephes' logf: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m by a degree-9
 * polynomial in m - 1 (about 1 ulp), and e ln 2 added in two parts (Cody-Waite) so it stays exact.
 * Zero gives -inf, +inf gives +inf, NaN and negative values NaN; subnormal inputs, which the bit
 * manipulation cannot split, go to the library operator (rare: kappa + eps below 1e-38).
 */
final class FastLog {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float C0 = 7.0376836292e-2f, C1 = -1.1514610310e-1f, C2 = 1.1676998740e-1f, C3 = -1.2420140846e-1f,
            C4 = 1.4249322787e-1f, C5 = -1.6668057665e-1f, C6 = 2.0000714765e-1f, C7 = -2.4999993993e-1f,
            C8 = 3.3333331174e-1f;

    private FastLog() {}

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(SP, v);
    }

    static FloatVector log(FloatVector x) {
        VectorMask<Float> special = x.compare(VectorOperators.LT, Float.MIN_NORMAL).or(x.compare(VectorOperators.GT, Float.MAX_VALUE))
                .or(x.compare(VectorOperators.NE, x));
        if (special.anyTrue()) return x.lanewise(VectorOperators.LOG);
        IntVector bits = x.reinterpretAsInts();
        // m in [0.5, 1): keep the mantissa, set the exponent of 0.5; e is the unbiased exponent + 1.
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).convert(VectorOperators.I2F, 0);
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        // m < sqrt(1/2): use 2m - 1 and e - 1, so the polynomial's argument lies in [-0.29, 0.41].
        FloatVector t = m.add(m.blend(0f, small.not())).sub(1f);
        e = e.sub(FloatVector.zero(SP).blend(1f, small));
        FloatVector z = t.mul(t);
        FloatVector y = t.fma(bc(C0), bc(C1));
        y = y.fma(t, bc(C2));
        y = y.fma(t, bc(C3));
        y = y.fma(t, bc(C4));
        y = y.fma(t, bc(C5));
        y = y.fma(t, bc(C6));
        y = y.fma(t, bc(C7));
        y = y.fma(t, bc(C8));
        y = y.mul(t).mul(z);
        y = e.fma(bc(LN2_LO), y);
        y = z.fma(bc(-0.5f), y);
        return t.add(y).add(e.mul(LN2_HI));
    }
}
