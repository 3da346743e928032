/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

/**
 * Runs a call on a small problem until C2 has had a chance to compile it. The Vector API runs
 * orders of magnitude slower than scalar code until C2 intrinsifies it, so the one full-size call
 * the reference check makes in setup would otherwise cost minutes at the larger shapes. JMH's
 * warm-up iterations still come after this and do the real warming at the measured size.
 */
public final class JitPriming {
    private JitPriming() {}

    /** How long to prime: about a second, or {@code -Dika.bench.primeMillis} (tests use less). */
    public static long defaultMillis() {
        return dev.ika4j.api.Settings.BENCH_PRIME_MILLIS.get(1000L);
    }

    public static void prime(Runnable call) {
        long end = System.nanoTime() + defaultMillis() * 1_000_000L;
        int calls = 0;
        while (calls < 3 || System.nanoTime() < end) {
            call.run();
            calls++;
        }
    }
}
