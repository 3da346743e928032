/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loops over one key-length row, the shape every backward step here takes: keys and their
 * gradients are kept transposed ([feature][key]) so that each step is an axpy or a dot product
 * along the keys. Rows are padded to a whole number of vectors; the padding stays zero.
 */
final class Rows {
    // the kernels' width (the setting ika.simd.vectorBits included), so the backward runs and is
    // tested at every width the forward does, and VectorMath's constants share its species
    static final VectorSpecies<Float> S = VectorMath.SPECIES;
    static final int LANES = S.length();

    private Rows() {}

    /** n rounded up to a whole number of vectors. */
    static int padded(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** y[yo ..+n) += a * x[xo ..+n); n a multiple of LANES. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(S, a);
        for (int j = 0; j < n; j += LANES) {
            VectorMath.fma(FloatVector.fromArray(S, x, xo + j), va, FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
    }

    /** sum of x[xo+j] * y[yo+j] over j < n; n a multiple of LANES. */
    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < n; j += LANES) {
            acc = VectorMath.fma(FloatVector.fromArray(S, x, xo + j), FloatVector.fromArray(S, y, yo + j), acc);
        }
        return VectorMath.sumLanes(acc);
    }

    /**
     * Sets prob[po ..+n) to softmax(logits[0 ..n)), zeros where a logit is -inf; false when none is
     * finite. n a multiple of LANES.
     */
    static boolean softmax(float[] logits, float[] prob, int po, int n) {
        FloatVector vm = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < n; j += LANES) vm = vm.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, logits, j));
        float max = vm.reduceLanes(VectorOperators.MAX);  // max is exact: any order gives the same bits
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(prob, po, po + n, 0f);
            return false;
        }
        FloatVector vmax = FloatVector.broadcast(S, max);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < n; j += LANES) {
            FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, logits, j).sub(vmax));
            e.intoArray(prob, po + j);
            sum = sum.add(e);
        }
        float inv = 1f / VectorMath.sumLanes(sum);
        for (int j = 0; j < n; j += LANES) FloatVector.fromArray(S, prob, po + j).mul(inv).intoArray(prob, po + j);
        return true;
    }

    /** dLogit_j = P_j (dP_j - sum_k P_k dP_k) in place of dP, with P at prob[po ..+n) and dP at dProb[dpo ..+n). */
    static void softmaxBackward(float[] prob, int po, float[] dProb, int dpo, int n) {
        float rowDot = dot(prob, po, dProb, dpo, n);
        FloatVector r = FloatVector.broadcast(S, rowDot);
        for (int j = 0; j < n; j += LANES) {
            FloatVector p = FloatVector.fromArray(S, prob, po + j);
            p.mul(FloatVector.fromArray(S, dProb, dpo + j).sub(r)).intoArray(dProb, dpo + j);
        }
    }
}
