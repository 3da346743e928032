/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.HostBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link AttentionBackend#warmUp} calls a backend with, and when it stops. */
class WarmUpTest {
    /** Records every problem it is given and computes nothing. */
    static class Recorder extends HostBackend {
        final List<AttentionProblem> seen = new ArrayList<>();

        @Override public String name() { return "recorder"; }
        @Override public Map<String, String> properties() { return Map.of(); }

        @Override
        protected synchronized double compute(AttentionProblem p, Tensor out, Tensor energy) {
            seen.add(p);
            return 0;
        }
    }

    @Test
    void callsWithClippedSequencesAndTheOptionsCodePaths() {
        Recorder r = new Recorder();
        boolean[] allowed = new boolean[2 * 1000 * 4000];
        AttentionOptions o = AttentionOptions.builder().causal(true).softcap(30)
                .mask(AttentionMask.bool(allowed, 2, 1, 1000, 4000)).kvLengths(new int[] {5, 7}).build();
        Duration spent = r.warmUp(Duration.ofMillis(200), o, new AttentionShape(2, 32, 8, 1000, 4000, 128, 96),
                AttentionShape.of(1, 8, 1, 64));
        assertTrue(spent.toMillis() < 5_000, "the budget bounds the warm-up: " + spent);
        assertTrue(r.seen.size() >= 2, "both shapes were called: " + r.seen.size());
        boolean decode = false, prefill = false;
        for (AttentionProblem p : r.seen) {
            assertTrue(p.causal() && p.softcap() == 30f && p.mask() != null && p.mask().isBoolean(), "the options' code paths are kept");
            assertEquals(0, p.pastSeq(), "no past cache of the caller's shape");
            if (p.dim() == 128) {
                prefill = true;
                assertEquals(96, p.vDim());
                assertEquals(4, p.group(), "the GQA group is kept");
                assertEquals(128, p.qSeq(), "long query sequences are clipped");
                assertEquals(384, p.kvSeq(), "long key sequences are clipped");
                assertEquals(1, p.batch());
            } else {
                decode = true;
                assertEquals(1, p.qSeq(), "a single decoding step stays one step");
                assertEquals(64, p.dim());
            }
        }
        assertTrue(decode && prefill, "every shape is warmed");
    }

    @Test
    void stopsOnceCallsAreFastAndSteadyWithinTheBudget() {
        // The first call takes 30 ms (as uncompiled code does), every later one 2 ms: settled after
        // the minimum number of calls, long before the budget. The times are set, not left to
        // chance: class loading may already be done by earlier tests in the JVM, and calls of a
        // microsecond or so vary by more than the 30 % that counts as steady.
        Recorder r = new Recorder() {
            @Override
            protected synchronized double compute(AttentionProblem p, Tensor out, Tensor energy) {
                long until = System.nanoTime() + (seen.isEmpty() ? 30_000_000L : 2_000_000L);
                while (System.nanoTime() < until) Thread.onSpinWait();
                return super.compute(p, out, energy);
            }
        };
        Duration spent = r.warmUp(Duration.ofSeconds(20), AttentionOptions.DEFAULT, AttentionShape.of(1, 1, 8, 8));
        assertTrue(r.seen.size() >= 12, "at least the minimum number of calls: " + r.seen.size());
        // Settled, then at most a second's wait for the JVM's JIT to go quiet: far below the budget.
        assertTrue(spent.toSeconds() < 10, "stopped when settled, not at the budget: " + spent);
        Recorder once = new Recorder();
        Duration none = once.warmUp(Duration.ZERO, AttentionOptions.DEFAULT, AttentionShape.of(1, 1, 8, 8));
        assertEquals(1, once.seen.size(), "a zero budget still calls every shape once");
        assertTrue(none.toSeconds() < 10, none.toString());
    }

    @Test
    void waitsForTheJitToBeQuietForAWholeWindow() {
        long[] now = {0}, compiled = {500};
        WarmUp.Jit jit = new WarmUp.Jit(() -> now[0], () -> compiled[0]);
        long ms = 1_000_000L;
        assertFalse(jit.quiet(), "no window observed yet");
        now[0] = 100 * ms;
        assertFalse(jit.quiet(), "a window is not yet over");
        now[0] = 160 * ms;
        compiled[0] = 560;
        assertFalse(jit.quiet(), "60 ms of compilation in the window");
        now[0] = 320 * ms;
        compiled[0] = 575;
        assertTrue(jit.quiet(), "15 ms since the sample a window ago (at 160 ms)");
        now[0] = 330 * ms;
        compiled[0] = 600;
        assertFalse(jit.quiet(), "a burst restarts the wait");
        WarmUp.Jit unknown = new WarmUp.Jit(() -> now[0], () -> -1);
        assertTrue(unknown.quiet(), "without java.management, call times alone decide");
    }

    @Test
    void rejectsNoShapesAndNulls() {
        Recorder r = new Recorder();
        assertThrows(IllegalArgumentException.class, () -> r.warmUp(AttentionOptions.DEFAULT));
        assertThrows(NullPointerException.class, () -> r.warmUp(null, AttentionShape.of(1, 1, 1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AttentionShape(1, 6, 4, 8, 8, 8, 8));
        assertTrue(e.getMessage().contains("qHeads 6") && e.getMessage().contains("kvHeads 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttentionShape.of(1, 0, 8, 8));
    }
}
