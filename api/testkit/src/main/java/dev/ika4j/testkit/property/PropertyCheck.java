/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit.property;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.StandardKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The properties every backend must have, checked on generated calls ({@link AttentionCases},
 * {@link BadCalls}):
 *
 * <ul>
 *   <li>a valid call inside the documented float32 range gives the reference's output (and energy
 *       and scores), NaN where it is NaN and the same infinities, finite values within a tolerance
 *       that scales with the problem; outside the range it still returns a result of the right shape
 *       or refuses as the reference does;
 *   <li>an invalid call raises only IllegalArgumentException or NullPointerException, with a
 *       message naming the argument;
 *   <li>nothing hangs (the callers run under a timeout).
 * </ul>
 *
 * Failures are collected with their seeds, so one run reports every failing seed at once.
 */
public final class PropertyCheck {
    private static final double EPS = Math.ulp(1f);

    private final AttentionBackend reference, backend;
    private final List<String> failures = new ArrayList<>();
    private int valid, compared, bad;

    public PropertyCheck(AttentionBackend reference, AttentionBackend backend) {
        this.reference = reference;
        this.backend = backend;
    }

    public int validCases() { return valid; }
    public int comparedCases() { return compared; }
    public int badCases() { return bad; }
    public List<String> failures() { return failures; }

    /** Fails with every failing seed, if any. */
    public void assertNoFailures() {
        if (failures.isEmpty()) return;
        fail(failures.size() + " property failures on " + backend.name() + " (add their seeds to the fixed list once fixed):\n  "
                + String.join("\n  ", failures.subList(0, Math.min(30, failures.size()))));
    }

    /** Checks the valid call of {@code seed}. */
    public void valid(long seed) {
        valid++;
        AttentionCases.Case c = AttentionCases.valid(seed);
        try {
            check(c);
        } catch (AssertionError | RuntimeException e) {
            failures.add(c + ": " + e);
        }
    }

    /** Checks the invalid call of {@code seed}. */
    public void bad(long seed) {
        bad++;
        BadCalls.Bad b = BadCalls.bad(seed);
        try {
            b.call().apply(backend);
            failures.add(b + ": accepted");
        } catch (IllegalArgumentException | NullPointerException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            for (String word : b.named()) {
                if (!m.contains(word)) failures.add(b + ": message does not name '" + word + "': " + e);
            }
        } catch (RuntimeException | Error e) {
            failures.add(b + ": threw " + e + " (only IllegalArgumentException or NullPointerException may)");
        }
    }

    private void check(AttentionCases.Case c) {
        boolean supported;
        try {
            supported = backend.supports(c.q(), c.k(), c.v(), c.options()).supported();
        } catch (IllegalArgumentException invalid) {
            supported = true;  // the calls below must then refuse it too
        }
        if (!supported) return;
        AttentionResult want;
        try {
            want = reference.attention(c.q(), c.k(), c.v(), c.options());
        } catch (IllegalArgumentException refused) {
            // the generator made a call the contract refuses; the backend must refuse it too
            try {
                backend.attention(c.q(), c.k(), c.v(), c.options());
                throw new AssertionError("the reference refused (" + refused.getMessage() + ") but " + backend.name() + " accepted");
            } catch (IllegalArgumentException expected) {
                return;
            }
        }
        AttentionResult got = backend.attention(c.q(), c.k(), c.v(), c.options());
        sameShape("output", want.output(), got.output());
        if (!c.inRange()) return;
        compared++;
        boolean standard = c.options().kernel() instanceof StandardKernel;
        double vMax = AttentionCases.maxAbs(want.presentValue());
        double logit = logitBound(c, want.presentKey()), tolOut;
        if (standard) {
            tolOut = 8 * EPS * Math.max(vMax, Float.MIN_NORMAL) * (Math.sqrt(Math.max(1, want.presentKey().seq()))
                    + Math.sqrt(c.q().dim()) * logit + maxBias(c.options()) + 1);
        } else {
            tolOut = 2e-4 * Math.max(vMax, Float.MIN_NORMAL);
        }
        // simd's tanh has an absolute error of about 1e-7, times the cap
        double cap = c.options().softcap();
        tolOut += 4 * EPS * cap * Math.max(vMax, Float.MIN_NORMAL);
        close("output", want.output(), got.output(), tolOut, hasInfinity(want.presentValue()));
        double tolLogit = 8 * EPS * ((Math.sqrt(c.q().dim()) + 1) * logit + 2 * maxBias(c.options()) + 1) + 4 * EPS * cap;
        if (want.energy() != null && standard) close("energy", want.energy(), got.energy(), tolLogit, false);
        if (want.scores() != null) close("scores", want.scores(), got.scores(), tolLogit + 8 * EPS, false);
    }

    /** |scale| * max_i |q_i| * max_j |k_j| over the present keys (past included), finite components. */
    private static double logitBound(AttentionCases.Case c, Tensor presentKey) {
        double scale = c.options().scale() != null ? c.options().scale() : 1 / Math.sqrt(c.q().dim());
        return Math.abs(scale) * rowNorm(c.q()) * rowNorm(presentKey);
    }

    private static double rowNorm(Tensor t) {
        double m = 0;
        float[] row = new float[t.dim()];
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = 0; s < t.seq(); s++) {
                    t.readRow(b, h, s, row, 0);
                    double n = 0;
                    for (float x : row) if (Float.isFinite(x)) n += (double) x * x;
                    m = Math.max(m, Math.sqrt(n));
                }
        return m;
    }

    /** Largest finite |bias| below 1e29 (the -1e30 biases give weight 0 on every backend). */
    private static double maxBias(AttentionOptions o) {
        AttentionMask m = o.mask();
        double max = 0;
        if (m != null && !m.isBoolean()) {
            for (float b : m.additiveData()) if (Float.isFinite(b) && Math.abs(b) < 1e29) max = Math.max(max, Math.abs(b));
        }
        return max;
    }

    private static void sameShape(String what, Tensor e, Tensor a) {
        if (a == null || e.batch() != a.batch() || e.heads() != a.heads() || e.seq() != a.seq() || e.dim() != a.dim()) {
            throw new AssertionError(what + ": shape " + (a == null ? "null" : a.shapeString()) + ", expected " + e.shapeString());
        }
    }

    private static boolean hasInfinity(Tensor t) {
        for (float x : t.toArray()) if (Float.isInfinite(x)) return true;
        return false;
    }

    /**
     * NaN must meet NaN and an infinity the same infinity, except the documented float32 limit
     * when {@code infValues}: an infinite value whose weight lies below float32's normal range
     * (e^-87 of the row's largest) meets a weight of 0 there, so 0 * inf gives NaN where the
     * float64 reference keeps the infinity.
     */
    private static void close(String what, Tensor expected, Tensor actual, double atol, boolean infValues) {
        sameShape(what, expected, actual);
        float[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Float.isNaN(e[i]) || Float.isInfinite(e[i])
                    ? Float.compare(e[i], a[i]) == 0 || (infValues && Float.isInfinite(e[i]) && Float.isNaN(a[i]))
                    : Math.abs((double) a[i] - e[i]) <= atol;
            if (!ok) {
                throw new AssertionError(String.format(Locale.ROOT, "%s[%d] (of %s): expected %s, got %s (atol %.3g)", what, i,
                        expected.shapeString(), e[i], a[i], atol));
            }
        }
    }
}
