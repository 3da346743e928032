/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/** Argument checks shared by the paper's kernels; each names the argument it rejects. */
final class Checks {
    private Checks() {}

    static double finite(String name, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(name + " must be finite, got " + v);
        return v;
    }

    static double positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        return v;
    }

    /**
     * A value the float32 kernels use as float: it must not become infinite, nor 0 when it is not
     * (eps = 1e-46 would turn log(kappa + eps) into log(kappa) there).
     */
    static double float32(String name, double v) {
        float f = (float) v;
        if (Float.isInfinite(f) || (f == 0f && v != 0)) {
            throw new IllegalArgumentException(name + " " + v + " is outside the float32 range the backends compute in ("
                    + Float.MIN_VALUE + " to " + Float.MAX_VALUE + ", or 0)");
        }
        return v;
    }

    /** The norm order: > 0, finite or +infinity (the max norm); NaN and p <= 0 are rejected. */
    static double normOrder(double p) {
        if (!(p > 0)) throw new IllegalArgumentException("p (the importance norm order) must be > 0, got " + p);
        return p;
    }

    static ParamTensor rank(String name, ParamTensor t, int rank, String layout) {
        if (t == null) throw new NullPointerException(name);
        if (t.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank + " " + layout + ", got shape " + t.shapeString());
        }
        return t;
    }
}
