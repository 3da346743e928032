/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.spi.AttentionProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Central finite differences of f(x) = <dOut, output(x)> + dReg * regularizer(x), entry by entry,
 * against {@link ReferenceBackward#backward}. Every array is compared as a whole: the largest
 * entry-wise difference over the largest analytic entry, so that tiny entries neither pass
 * vacuously nor fail on rounding.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * Finite-difference step. Central differences at h and h/2 combined by Richardson extrapolation,
     * (4 D(h/2) - D(h)) / 3, leave an O(h^4) truncation error, so steep spots (log(kappa + eps)
     * with small eps) do not need a tiny step that rounding would spoil, while the step stays small
     * enough that it rarely straddles a kink (leaky ReLUs, the copula's clamp).
     */
    static final double H = 2e-5;

    /** One array's comparison. */
    public record Result(String name, double maxAbsError, double maxAnalytic, int entries, double noise) {
        /** Within {@code tol} relative to the largest analytic entry, or within the differences' own rounding noise. */
        boolean passes(double tol) {
            return maxAbsError < tol * maxAnalytic + noise;
        }

        public double relativeError() {
            return maxAnalytic == 0 ? maxAbsError : maxAbsError / maxAnalytic;
        }

        @Override
        public String toString() {
            return String.format("%s: rel %.2e (max |g| %.3e, %d entries)", name, relativeError(), maxAnalytic, entries);
        }
    }

    static double objective(AttentionProblem p, ReferenceBackward.Values x, double[] dOut, double dReg) {
        ReferenceBackward.Forward f = ReferenceBackward.forward(p, x);
        double s = dReg * f.regularizer();
        for (int n = 0; n < dOut.length; n++) s += dOut[n] * f.output()[n];
        return s;
    }

    /**
     * Compares every gradient array with finite differences and asserts relative error below
     * {@code tol}; also asserts that some gradient is nonzero, so that the check cannot pass on a
     * problem that does not depend on its inputs.
     */
    public static List<Result> check(AttentionProblem p, ReferenceBackward.Values x, double[] dOut, double dReg, double tol) {
        ReferenceBackward.Gradients g = ReferenceBackward.backward(p, x, dOut, dReg);
        List<Result> results = new ArrayList<>();
        results.add(compare(p, x, dOut, dReg, "dQ", g.dq(), ReferenceBackward.Values::q));
        results.add(compare(p, x, dOut, dReg, "dK", g.dk(), ReferenceBackward.Values::k));
        results.add(compare(p, x, dOut, dReg, "dV", g.dv(), ReferenceBackward.Values::v));
        for (Map.Entry<String, double[]> e : g.parameters().entrySet()) {
            String name = e.getKey();
            results.add(compare(p, x, dOut, dReg, "d" + name, e.getValue(), v -> v.parameters().get(name)));
        }
        double largest = 0;
        for (Result r : results) {
            assertTrue(r.passes(tol), () -> "gradient check failed for " + p.kernel().name() + ": " + r
                    + "\nall: " + results);
            largest = Math.max(largest, r.maxAnalytic());
        }
        assertTrue(largest > 1e-6, () -> "every gradient is (near) zero, the check proves nothing: " + results);
        return results;
    }

    private static Result compare(AttentionProblem p, ReferenceBackward.Values x, double[] dOut, double dReg, String name,
                                  double[] analytic, Function<ReferenceBackward.Values, double[]> field) {
        double maxErr = 0, maxG = 0;
        int n = field.apply(x).length;
        // A central difference carries the objective's rounding divided by the step: a few ulps of
        // f over H. An array of tiny gradients (1e-5) may differ from its differences by that much
        // and no more, which a purely relative test would count as failure.
        double noise = 4 * Math.ulp(Math.abs(objective(p, x, dOut, dReg)) + 1) / H;
        for (int i = 0; i < n; i++) {
            double fd = (4 * central(p, x, dOut, dReg, field, i, H / 2) - central(p, x, dOut, dReg, field, i, H)) / 3;
            maxErr = Math.max(maxErr, Math.abs(fd - analytic[i]));
            maxG = Math.max(maxG, Math.abs(analytic[i]));
        }
        return new Result(name, maxErr, maxG, n, noise);
    }

    private static double central(AttentionProblem p, ReferenceBackward.Values x, double[] dOut, double dReg,
                                  Function<ReferenceBackward.Values, double[]> field, int i, double h) {
        ReferenceBackward.Values plus = x.copy(), minus = x.copy();
        field.apply(plus)[i] += h;
        field.apply(minus)[i] -= h;
        return (objective(p, plus, dOut, dReg) - objective(p, minus, dOut, dReg)) / (2 * h);
    }
}
