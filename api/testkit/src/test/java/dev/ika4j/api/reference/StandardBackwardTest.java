/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.testkit.Train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Standard attention's float64 backward against central finite differences, every option. */
class StandardBackwardTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void matchesFiniteDifferences(long seed) {
        AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder());
        SplittableRandom r = new SplittableRandom(seed * 31);
        ReferenceBackward.Values x = RandomProblems.randomValues(r, p);
        double[] dOut = RandomProblems.randomDoubles(r, p.batch() * p.qHeads() * p.qSeq() * p.vDim());
        for (GradCheck.Result res : GradCheck.check(p, x, dOut, 0.0, 1e-6)) worst = Math.max(worst, res.relativeError());
    }

    static double worst = 0;

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.printf("standard attention: worst relative gradient error %.2e%n", worst);
    }

    @Test
    void float64ForwardMatchesTheReferenceBackend() {
        for (long seed = 1; seed <= 20; seed++) {
            AttentionProblem p = RandomProblems.randomProblem(seed, AttentionOptions.builder());
            ReferenceBackward.Forward f = ReferenceBackward.forward(p, ReferenceBackward.Values.of(p));
            AttentionResult res = new ReferenceBackend().attention(p.q(), p.k(), p.v(), RandomProblems.optionsOf(p));
            float[] want = res.output().toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], f.output()[i], 1e-6 * (1 + Math.abs(want[i])), "seed " + seed + " entry " + i);
            }
        }
    }

    @Test
    void tensorApiSplitsPastAndNewAndSumsGqaGroups() {
        SplittableRandom r = new SplittableRandom(99);
        Tensor q = RandomProblems.random(r, 2, 4, 3, 5), k = RandomProblems.random(r, 2, 2, 4, 5), v = RandomProblems.random(r, 2, 2, 4, 3);
        Tensor pk = RandomProblems.random(r, 2, 2, 2, 5), pv = RandomProblems.random(r, 2, 2, 2, 3);
        AttentionOptions o = AttentionOptions.builder().past(pk, pv).causal(true).build();
        Tensor dOut = RandomProblems.random(r, 2, 4, 3, 3);
        AttentionGradients g = Train.gradients(new ReferenceBackend(), q, k, v, o, dOut);
        AttentionProblem p = AttentionProblem.of(q, k, v, o);
        ReferenceBackward.Gradients want = ReferenceBackward.backward(p, ReferenceBackward.Values.of(p),
                ReferenceBackward.widen(dOut), 0);
        assertArrayEquals(toFloat(want.dq()), g.dQ().toArray());
        // present = past (2 rows) then new (4 rows) per head
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int s = 0; s < 6; s++)
                    for (int c = 0; c < 5; c++) {
                        float w = (float) want.dk()[((b * 2 + h) * 6 + s) * 5 + c];
                        assertEquals(w, s < 2 ? g.dPastKey().get(b, h, s, c) : g.dK().get(b, h, s - 2, c));
                    }
        // the past gets gradient too: causal query 0 sees the past keys
        assertTrue(maxAbs(g.dPastValue().toArray()) > 0);
        // no bias is learned by the standard kernel
        assertEquals(dev.ika4j.api.KernelGradient.NONE, g.dKernel());
    }

    @Test
    void keysNoQueryCanSeeGetNoGradient() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor q = RandomProblems.random(r, 1, 1, 3, 4), k = RandomProblems.random(r, 1, 1, 5, 4), v = RandomProblems.random(r, 1, 1, 5, 2);
        AttentionOptions o = AttentionOptions.builder().kvLengths(new int[] {3}).build();
        AttentionGradients g = Train.gradients(new ReferenceBackend(), q, k, v, o, RandomProblems.random(r, 1, 1, 3, 2));
        for (int j = 3; j < 5; j++)
            for (int c = 0; c < 4; c++) assertEquals(0f, g.dK().get(0, 0, j, c));
        assertTrue(Math.abs(g.dK().get(0, 0, 0, 0)) > 0);
    }

    @Test
    void aFullyMaskedRowPassesNoGradient() {
        SplittableRandom r = new SplittableRandom(6);
        Tensor q = RandomProblems.random(r, 1, 1, 2, 3), k = RandomProblems.random(r, 1, 1, 3, 3), v = RandomProblems.random(r, 1, 1, 3, 2);
        boolean[] allowed = {false, false, false, true, true, false};
        AttentionOptions o = AttentionOptions.builder().mask(AttentionMask.bool(allowed, 2, 3)).build();
        AttentionGradients g = Train.gradients(new ReferenceBackend(), q, k, v, o, RandomProblems.random(r, 1, 1, 2, 2));
        for (int c = 0; c < 3; c++) assertEquals(0f, g.dQ().get(0, 0, 0, c));
        assertTrue(Math.abs(g.dQ().get(0, 0, 1, 0)) > 0);
    }

    @Test
    void rejectsAMisshapenDOut() {
        SplittableRandom r = new SplittableRandom(7);
        Tensor q = RandomProblems.random(r, 1, 2, 3, 4), k = RandomProblems.random(r, 1, 2, 5, 4), v = RandomProblems.random(r, 1, 2, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Train.gradients(new ReferenceBackend(), q, k, v, AttentionOptions.DEFAULT, RandomProblems.random(r, 1, 2, 3, 3)));
        assertTrue(e.getMessage().contains("dOut") && e.getMessage().contains("[1, 2, 3, 2]"), e.getMessage());
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

}
