/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.testkit.Compare;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SimdBackend against the float64 reference on random inputs: shapes from 1 to a few hundred,
 * primes and odd head dims, GQA, V dims that differ from Q/K, a past KV cache, and every option
 * (scale, causal, bool and additive masks at several broadcast ranks including a short last dim,
 * softcap, valid key lengths), energy included. Tolerances follow a first-order error bound that
 * grows with the key count, head dim and logit size.
 */
class SimdVsReferenceTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));

    @AfterAll
    static void close() {
        SIMD.close();
    }

    /** batch, qHeads, kvHeads, qSeq, newKvSeq, dim, vDim, pastSeq. */
    record Shape(int b, int hq, int hkv, int lq, int lk, int d, int dv, int past) {
        int total() { return lk + past; }

        /** A mask's last dim: the total key count, or 1 (broadcast) when there are no keys. */
        int cols() { return Math.max(1, total()); }

        @Override
        public String toString() {
            return "B" + b + " H" + hq + "/" + hkv + " Lq" + lq + " Lk" + lk + (past > 0 ? "+past" + past : "") + " D" + d
                    + (dv != d ? " Dv" + dv : "");
        }
    }

    static final List<Shape> SHAPES = List.of(
            new Shape(1, 1, 1, 1, 1, 1, 1, 0),
            new Shape(1, 2, 1, 3, 7, 5, 5, 0),
            new Shape(2, 4, 2, 17, 33, 16, 16, 0),
            new Shape(1, 3, 3, 65, 65, 17, 9, 0),
            new Shape(2, 2, 1, 31, 129, 33, 65, 0),
            new Shape(1, 4, 2, 13, 5, 64, 64, 11),
            new Shape(1, 2, 2, 130, 257, 64, 64, 0),
            new Shape(1, 1, 1, 7, 300, 128, 128, 0),
            new Shape(3, 6, 3, 2, 67, 63, 3, 29),
            new Shape(1, 8, 1, 1, 513, 64, 64, 0),
            // Single-token GQA steps: groups of 2, 3 and 8 go straight from K and V, all heads of a
            // group at once; a group of 9 takes the packed tiles.
            new Shape(2, 4, 2, 1, 301, 33, 17, 40),
            new Shape(1, 6, 2, 1, 129, 128, 128, 0),
            new Shape(1, 16, 2, 1, 200, 16, 16, 0),
            new Shape(1, 9, 1, 1, 70, 5, 5, 0),
            new Shape(1, 2, 1, 5, 0, 8, 8, 0),
            new Shape(1, 1, 1, 70, 60, 7, 130, 0));

    /** Named option sets; each builds its options from the shape and a random source. */
    record Option(String name, Function<Ctx, AttentionOptions.Builder> make) {
        @Override
        public String toString() { return name; }
    }

    record Ctx(Shape s, SplittableRandom rnd) {}

    static int[] lengths(Ctx c) {
        int[] l = new int[c.s.b];
        for (int i = 0; i < l.length; i++) l[i] = c.rnd.nextInt(c.s.total() + 1);
        if (l.length > 1) l[0] = c.s.total();
        return l;
    }

    static final List<Option> OPTIONS = List.of(
            new Option("default", c -> AttentionOptions.builder()),
            new Option("causal", c -> AttentionOptions.builder().causal(true)),
            new Option("scale", c -> AttentionOptions.builder().scale(0.37)),
            new Option("softcap", c -> AttentionOptions.builder().scale(1.0).softcap(2.5f)),
            new Option("bool mask full", c -> AttentionOptions.builder()
                    .mask(TestInputs.boolMask(c.rnd, 0.7, c.s.b, c.s.hq, c.s.lq, c.s.cols()))),
            new Option("bool mask [lq, kv]", c -> AttentionOptions.builder()
                    .mask(TestInputs.boolMask(c.rnd, 0.5, c.s.lq, c.s.cols()))),
            new Option("bool mask [b,1,1,kv-short]", c -> AttentionOptions.builder()
                    .mask(TestInputs.boolMask(c.rnd, 0.8, c.s.b, 1, 1, Math.max(1, c.s.total() - 3)))),
            new Option("additive mask [h, lq, kv]", c -> AttentionOptions.builder()
                    .mask(TestInputs.additiveMask(c.rnd, 0.2, c.s.hq, c.s.lq, c.s.cols()))),
            new Option("additive mask [lq, 1]", c -> AttentionOptions.builder()
                    .mask(TestInputs.additiveMask(c.rnd, 0.3, c.s.lq, 1))),
            new Option("additive mask short last dim", c -> AttentionOptions.builder()
                    .mask(TestInputs.additiveMask(c.rnd, 0.1, 1, 1, c.s.lq, Math.max(1, (c.s.total() + 1) / 2)))),
            new Option("kvLengths", c -> AttentionOptions.builder().kvLengths(lengths(c))),
            new Option("causal+lengths+additive+softcap", c -> AttentionOptions.builder().causal(true)
                    .kvLengths(lengths(c)).softcap(3f).scale(0.6)
                    .mask(TestInputs.additiveMask(c.rnd, 0.15, c.s.b, c.s.hq, c.s.lq, c.s.cols()))),
            new Option("causal+bool mask", c -> AttentionOptions.builder().causal(true)
                    .mask(TestInputs.boolMask(c.rnd, 0.6, 1, c.s.hq, 1, c.s.cols()))));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Shape s : SHAPES) for (Option o : OPTIONS) out.add(Arguments.of(s, o));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(Shape s, Option o) {
        SplittableRandom rnd = new SplittableRandom(31L * s.hashCode() + o.name().hashCode());
        Tensor q = TestInputs.tensor(rnd, s.b, s.hq, s.lq, s.d, 1.5);
        Tensor k = TestInputs.tensor(rnd, s.b, s.hkv, s.lk, s.d, 1.5);
        Tensor v = TestInputs.tensor(rnd, s.b, s.hkv, s.lk, s.dv, 2.0);
        AttentionOptions.Builder ob = o.make.apply(new Ctx(s, rnd));
        if (s.past > 0) {
            ob.past(TestInputs.tensor(rnd, s.b, s.hkv, s.past, s.d, 1.5), TestInputs.tensor(rnd, s.b, s.hkv, s.past, s.dv, 2.0));
        }
        for (boolean energy : new boolean[] {false, true}) {
            AttentionOptions opts = ob.returnEnergy(energy).build();
            AttentionResult want = REF.attention(q, k, v, opts);
            AttentionResult got = SIMD.attention(q, k, v, opts);
            String what = s + " " + o + (energy ? " +energy" : "");
            Compare.assertClose(what + " output", want.output(), got.output(),
                    TestInputs.outputTolerance(q, want.presentKey(), want.presentValue(), opts));
            TestInputs.assertIdentical(what + " presentKey", want.presentKey(), got.presentKey());
            TestInputs.assertIdentical(what + " presentValue", want.presentValue(), got.presentValue());
            if (energy) {
                assertNotNull(got.energy(), what);
                Compare.assertClose(what + " energy", want.energy(), got.energy(),
                        TestInputs.energyTolerance(q, want.presentKey(), opts));
            } else {
                assertNull(got.energy(), what);
            }
        }
    }

    /** Long sequences cross many key blocks and query blocks; causal with a past cache. */
    @ParameterizedTest(name = "causal={0}")
    @MethodSource("longCases")
    void longSequencesMatchReference(boolean causal, int past) {
        SplittableRandom rnd = new SplittableRandom(99 + past);
        int lq = 150, lk = 700, d = 40;
        Tensor q = TestInputs.tensor(rnd, 1, 2, lq, d, 1.0);
        Tensor k = TestInputs.tensor(rnd, 1, 1, lk, d, 1.0);
        Tensor v = TestInputs.tensor(rnd, 1, 1, lk, d, 1.0);
        AttentionOptions.Builder ob = AttentionOptions.builder().causal(causal).scale(0.5);
        if (past > 0) ob.past(TestInputs.tensor(rnd, 1, 1, past, d, 1.0), TestInputs.tensor(rnd, 1, 1, past, d, 1.0));
        AttentionOptions opts = ob.build();
        AttentionResult want = REF.attention(q, k, v, opts);
        AttentionResult got = SIMD.attention(q, k, v, opts);
        Compare.assertClose("long causal=" + causal + " past=" + past, want.output(), got.output(),
                TestInputs.outputTolerance(q, want.presentKey(), want.presentValue(), opts));
    }

    static Stream<Arguments> longCases() {
        return Stream.of(Arguments.of(false, 0), Arguments.of(true, 0), Arguments.of(true, 333));
    }

    /** A mask whose unstored columns are -inf: the padded keys must be excluded, not read. */
    @ParameterizedTest(name = "columns={0}")
    @MethodSource("shortColumns")
    void shortMaskColumnsExcludeTheRest(int columns) {
        SplittableRandom rnd = new SplittableRandom(columns);
        int lk = 90;
        Tensor q = TestInputs.tensor(rnd, 1, 1, 9, 12, 1.0);
        Tensor k = TestInputs.tensor(rnd, 1, 1, lk, 12, 1.0);
        Tensor v = TestInputs.tensor(rnd, 1, 1, lk, 12, 1.0);
        float[] bias = TestInputs.values(rnd, columns, 1.0);
        AttentionOptions opts = AttentionOptions.builder().mask(AttentionMask.additive(bias, columns)).returnEnergy(true).build();
        AttentionResult want = REF.attention(q, k, v, opts);
        AttentionResult got = SIMD.attention(q, k, v, opts);
        Compare.assertClose("short mask output", want.output(), got.output(),
                TestInputs.outputTolerance(q, k, v, opts));
        Compare.assertClose("short mask energy", want.energy(), got.energy(), TestInputs.energyTolerance(q, k, opts));
    }

    static Stream<Integer> shortColumns() {
        return Stream.of(2, 17, 63, 64, 65, 89);
    }
}
