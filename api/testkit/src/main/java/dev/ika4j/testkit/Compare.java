/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ika4j.api.Tensor;
import java.util.Locale;

/** Element-wise tensor assertions in logical [batch, heads, seq, dim] order, whatever the layouts. */
public final class Compare {
    private Compare() {}

    /**
     * Every element within {@code atol}; NaN must meet NaN and an infinity the same infinity (a
     * masked logit is -inf on every backend, and NaN propagation is part of the contract).
     *
     * @return the largest absolute difference over finite pairs
     */
    public static double assertClose(String what, Tensor expected, Tensor actual, double atol) {
        assertSameShape(what, expected, actual);
        double max = 0;
        int bad = 0;
        String first = null;
        for (int b = 0; b < expected.batch(); b++)
            for (int h = 0; h < expected.heads(); h++)
                for (int s = 0; s < expected.seq(); s++)
                    for (int d = 0; d < expected.dim(); d++) {
                        float e = expected.get(b, h, s, d), a = actual.get(b, h, s, d);
                        boolean ok;
                        if (Float.isNaN(e) || Float.isInfinite(e)) {
                            ok = Float.compare(e, a) == 0;
                        } else {
                            double err = Math.abs((double) a - e);
                            ok = err <= atol; // false for NaN a
                            if (ok) max = Math.max(max, err);
                        }
                        if (!ok) {
                            bad++;
                            if (first == null) first = String.format(Locale.ROOT, "[%d,%d,%d,%d]: expected %s, got %s", b, h, s, d, e, a);
                        }
                    }
        if (bad > 0) {
            fail(String.format(Locale.ROOT, "%s: %d of %d values off by more than atol %.3g (shape %s); first at %s",
                    what, bad, expected.size(), atol, expected.shapeString(), first));
        }
        return max;
    }

    /** Bit-for-bit equality (all NaNs count as one value). */
    public static void assertIdentical(String what, Tensor expected, Tensor actual) {
        assertSameShape(what, expected, actual);
        for (int b = 0; b < expected.batch(); b++)
            for (int h = 0; h < expected.heads(); h++)
                for (int s = 0; s < expected.seq(); s++)
                    for (int d = 0; d < expected.dim(); d++) {
                        float e = expected.get(b, h, s, d), a = actual.get(b, h, s, d);
                        if (Float.floatToIntBits(e) != Float.floatToIntBits(a)) {
                            fail(String.format(Locale.ROOT, "%s: not identical at [%d,%d,%d,%d]: expected %s, got %s", what, b, h,
                                    s, d, e, a));
                        }
                    }
    }

    public static void assertSameShape(String what, Tensor expected, Tensor actual) {
        if (actual == null) fail(what + ": got null, expected " + expected.shapeString());
        if (expected.batch() != actual.batch() || expected.heads() != actual.heads() || expected.seq() != actual.seq()
                || expected.dim() != actual.dim()) {
            fail(what + ": shape " + actual.shapeString() + ", expected " + expected.shapeString());
        }
    }

    /** Largest |x| over the finite values (0 for none). */
    public static double maxAbs(Tensor t) {
        double m = 0;
        for (float x : t.toArray()) if (Float.isFinite(x)) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** Largest Euclidean norm of a row (b, h, s, :) over the finite rows. */
    public static double maxRowNorm(Tensor t) {
        double m = 0;
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = 0; s < t.seq(); s++) {
                    double n = 0;
                    for (int d = 0; d < t.dim(); d++) n += (double) t.get(b, h, s, d) * t.get(b, h, s, d);
                    if (Double.isFinite(n)) m = Math.max(m, Math.sqrt(n));
                }
        return m;
    }
}
