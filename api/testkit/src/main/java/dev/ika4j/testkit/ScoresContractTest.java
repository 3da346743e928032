/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.BackendUnavailableException;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scores output ({@link AttentionOptions#scoresOutput}, the ONNX operator's qk_matmul_output)
 * on one backend: a backend's test class extends this and says how to make the backend.
 *
 * <p>The oracle here is the operator's definition written out in this file, in float64 and
 * independently of every backend (the reference backend's own code included): S0 = scale * Q.K^T
 * over past and new keys, S1 = softcap * tanh(S0 / softcap), S2 = S1 + the attention mask
 * (boolean as 0 / -inf, padded with -inf when short) + -inf above the causal diagonal and past a
 * batch's valid length, P = softmax(S2). It is checked over the shared scenarios (sizes 1, primes,
 * odd head dims, GQA, past caches, boolean and additive masks of every rank, causal, softcap,
 * lengths, every storage), on a hand-computed case, and by relations: P.V is the output Y,
 * AFTER_MASK is the energy, asking for scores does not change Y.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ScoresContractTest {
    private AttentionBackend subject;

    protected abstract AttentionBackend backend();

    /** Non-null to skip the whole class with this reason before {@link #backend()} is called. */
    protected String unavailableReason() {
        return null;
    }

    /** Whether Y stays bit-identical when the scores are asked for (false where asking changes the path). */
    protected boolean outputBitIdenticalWithScores() {
        return true;
    }

    /** Unit roundoff of the arithmetic the backend computes in. */
    protected double epsilon() {
        return Math.ulp(1f);
    }

    @BeforeAll
    final void open() {
        String reason = unavailableReason();
        if (reason == null) {
            try {
                subject = backend();
            } catch (BackendUnavailableException e) {
                reason = e.getMessage();
            }
        }
        if (reason != null) {
            if (Boolean.getBoolean("ika.test.requireBackends")) fail("backend required but unavailable: " + reason);
            Assumptions.abort("backend unavailable: " + reason);
        }
    }

    @AfterAll
    final void close() {
        if (subject != null) subject.close();
    }

    // ---------------------------------------------------------------- the definition

    /** The keys of (b, kv head kh) including the past: key j's component c. */
    private static float key(Tensor k, AttentionOptions o, int b, int kh, int j, int c) {
        Tensor past = o.pastKey();
        int p = past == null ? 0 : past.seq();
        return j < p ? past.get(b, kh, j, c) : k.get(b, kh, j - p, c);
    }

    private static float value(Tensor v, AttentionOptions o, int b, int kh, int j, int c) {
        Tensor past = o.pastValue();
        int p = past == null ? 0 : past.seq();
        return j < p ? past.get(b, kh, j, c) : v.get(b, kh, j - p, c);
    }

    /** The stage of the scores, [batch][q_heads][q_seq][total_kv], from the operator's definition. */
    static double[][][][] definition(Tensor q, Tensor k, AttentionOptions o, ScoreStage stage) {
        int past = o.pastKey() == null ? 0 : o.pastKey().seq();
        int total = past + k.seq(), dim = q.dim(), group = q.heads() / k.heads();
        double scale = o.scale() != null ? o.scale() : 1 / Math.sqrt(dim);
        int[] lens = o.kvLengths();
        dev.ika4j.api.spi.MaskRows mask = o.mask() == null ? null : dev.ika4j.api.spi.MaskRows.of(o.mask());
        double[][][][] s = new double[q.batch()][q.heads()][q.seq()][total];
        for (int b = 0; b < q.batch(); b++)
            for (int h = 0; h < q.heads(); h++)
                for (int i = 0; i < q.seq(); i++) {
                    double[] row = s[b][h][i];
                    for (int j = 0; j < total; j++) {
                        double dot = 0;
                        for (int c = 0; c < dim; c++) dot += (double) q.get(b, h, i, c) * key(k, o, b, h / group, j, c);
                        double x = scale * dot;
                        if (stage == ScoreStage.SCALED_QK) {
                            row[j] = x;
                            continue;
                        }
                        if (o.softcap() > 0) x = o.softcap() * Math.tanh(x / o.softcap());
                        if (stage == ScoreStage.AFTER_SOFTCAP) {
                            row[j] = x;
                            continue;
                        }
                        double bias = mask == null ? 0 : mask.bias(b, h, i, j);
                        if (o.causal() && j > past + i) bias = Double.NEGATIVE_INFINITY;
                        if (lens != null && j >= lens[b]) bias = Double.NEGATIVE_INFINITY;
                        row[j] = bias == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : x + bias;
                    }
                    if (stage == ScoreStage.AFTER_SOFTMAX) softmax(row);
                }
        return s;
    }

    /** Max subtracted; every key masked gives zeros; a NaN anywhere gives NaN throughout. */
    private static void softmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        boolean nan = false;
        for (double x : row) {
            if (Double.isNaN(x)) nan = true;
            else max = Math.max(max, x);
        }
        double sum = 0;
        for (int j = 0; j < row.length; j++) {
            row[j] = nan ? Double.NaN : row[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(row[j] - max);
            sum += row[j];
        }
        for (int j = 0; j < row.length; j++) row[j] = max == Double.NEGATIVE_INFINITY && !nan ? 0 : row[j] / sum;
    }

    /**
     * Tolerance, first-order: a logit carries about eps * (sqrt(dim) + 1) * L (L = scale * max|q|
     * * max|k| bounds it) plus eps times the largest bias and the softcap; a probability moves by
     * at most twice its row's logit error, plus the roundoff of the normalisation over the keys.
     * Safety factor 8.
     */
    private double tolerance(Tensor q, Tensor k, AttentionOptions o, ScoreStage stage) {
        double scale = o.scale() != null ? o.scale() : 1 / Math.sqrt(q.dim());
        double keyNorm = Compare.maxRowNorm(k);
        if (o.pastKey() != null) keyNorm = Math.max(keyNorm, Compare.maxRowNorm(o.pastKey()));
        double l = scale * Compare.maxRowNorm(q) * keyNorm;
        double bias = 0;
        if (o.mask() != null && !o.mask().isBoolean()) {
            for (float x : o.mask().additiveData()) if (Float.isFinite(x)) bias = Math.max(bias, Math.abs(x));
        }
        double logit = (Math.sqrt(q.dim()) + 1) * l + 2 * bias + 4 * o.softcap() + 1;
        int total = k.seq() + (o.pastKey() == null ? 0 : o.pastKey().seq());
        double e = stage == ScoreStage.AFTER_SOFTMAX ? 2 * logit + Math.sqrt(total) : logit;
        return 8 * epsilon() * e;
    }

    private static void assertMatches(String what, double[][][][] expected, Tensor got, double atol) {
        int total = expected[0][0][0].length;
        assertEquals(expected.length, got.batch(), what + ": batch of " + got.shapeString());
        assertEquals(expected[0].length, got.heads(), what + ": q_heads of " + got.shapeString());
        assertEquals(expected[0][0].length, got.seq(), what + ": q_seq of " + got.shapeString());
        assertEquals(Math.max(total, 1), got.dim(), what + ": total_kv of " + got.shapeString());
        int bad = 0;
        String first = null;
        for (int b = 0; b < expected.length; b++)
            for (int h = 0; h < expected[b].length; h++)
                for (int i = 0; i < expected[b][h].length; i++)
                    for (int j = 0; j < total; j++) {
                        double e = expected[b][h][i][j];
                        float a = got.get(b, h, i, j);
                        boolean ok = Double.isNaN(e) ? Float.isNaN(a)
                                : Double.isInfinite(e) ? a == e : Math.abs(a - e) <= atol;
                        if (!ok && bad++ == 0) {
                            first = String.format(Locale.ROOT, "[%d,%d,%d,%d]: expected %s, got %s", b, h, i, j, e, a);
                        }
                    }
        if (bad > 0) fail(String.format(Locale.ROOT, "%s: %d values off by more than %.3g, first %s", what, bad, atol, first));
    }

    private static AttentionOptions withScores(AttentionOptions o, ScoreStage stage) {
        return o.toBuilder().scoresOutput(stage).build();
    }

    // ---------------------------------------------------------------- the scenarios

    static Stream<Arguments> scenariosByStage() {
        List<Arguments> out = new ArrayList<>();
        for (Scenario sc : Scenario.standardSet()) for (ScoreStage st : ScoreStage.values()) out.add(Arguments.of(sc, st));
        return out.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("scenariosByStage")
    void everyStageFollowsTheDefinition(Scenario sc, ScoreStage stage) {
        Scenario.Inputs in = sc.inputs();
        AttentionOptions o = withScores(in.options(), stage);
        AttentionResult r = subject.attention(in.q(), in.k(), in.v(), o);
        assertMatches(sc + " " + stage, definition(in.q(), in.k(), o, stage), r.scores(), tolerance(in.q(), in.k(), o, stage));
        assertEquals(Tensor.Layout.BHSD, r.scores().layout(), "scores are 4-D [batch, q_heads, q_seq, total_kv] whatever Q's layout");
    }

    /** The probabilities are the weights Y is made of: Y = P.V, and every unmasked row sums to 1. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void softmaxStageTimesValuesIsTheOutput(Scenario sc) {
        Scenario.Inputs in = sc.inputs();
        AttentionOptions o = withScores(in.options(), ScoreStage.AFTER_SOFTMAX);
        AttentionResult r = subject.attention(in.q(), in.k(), in.v(), o);
        Tensor p = r.scores();
        int total = r.presentValue().seq(), group = in.q().heads() / in.k().heads();
        double vMax = Math.max(Compare.maxAbs(r.presentValue()), Float.MIN_NORMAL);
        double atol = 8 * epsilon() * vMax * (Math.sqrt(total) + 1) + tolerance(in.q(), in.k(), o, ScoreStage.AFTER_SOFTMAX) * vMax * total;
        for (int b = 0; b < p.batch(); b++)
            for (int h = 0; h < p.heads(); h++)
                for (int i = 0; i < p.seq(); i++) {
                    double sum = 0;
                    for (int j = 0; j < total; j++) sum += p.get(b, h, i, j);
                    assertTrue(sum == 0 || Math.abs(sum - 1) <= 1e-5, sc + ": row sum " + sum + " at [" + b + "," + h + "," + i + "]");
                    for (int c = 0; c < r.output().dim(); c++) {
                        double y = 0;
                        for (int j = 0; j < total; j++) {
                            float w = p.get(b, h, i, j);
                            if (w != 0) y += w * (double) value(in.v(), in.options(), b, h / group, j, c);
                        }
                        float got = r.output().get(b, h, i, c);
                        assertTrue(Math.abs(got - y) <= atol, sc + ": Y[" + b + "," + h + "," + i + "," + c + "] = " + got
                                + " but P.V = " + y + " (atol " + atol + ")");
                    }
                }
    }

    static Stream<Scenario> scenarios() {
        return Scenario.standardSet().stream().filter(s -> s.cost() < 2_000_000);
    }

    /** AFTER_MASK is the energy, and the output Y does not depend on asking for scores. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void energyIsTheMaskedStageAndYIsUnchanged(Scenario sc) {
        Scenario.Inputs in = sc.inputs();
        AttentionOptions plain = in.options().toBuilder().returnEnergy(true).build();
        AttentionResult without = subject.attention(in.q(), in.k(), in.v(), plain);
        assertNull(without.scores(), sc + ": scores returned though not asked for");
        AttentionResult with = subject.attention(in.q(), in.k(), in.v(), withScores(plain, ScoreStage.AFTER_MASK));
        Compare.assertClose(sc + ": energy vs AFTER_MASK", with.energy(), with.scores(),
                tolerance(in.q(), in.k(), plain, ScoreStage.AFTER_MASK));
        if (outputBitIdenticalWithScores()) {
            Compare.assertIdentical(sc + ": Y with and without scores", without.output(), with.output());
        } else {
            double vMax = Math.max(Compare.maxAbs(with.presentValue()), Float.MIN_NORMAL);
            Compare.assertClose(sc + ": Y with and without scores", without.output(), with.output(),
                    vMax * (2 * tolerance(in.q(), in.k(), plain, ScoreStage.AFTER_SOFTMAX) + 8 * epsilon() * Math.sqrt(with.presentValue().seq())));
        }
    }

    // ---------------------------------------------------------------- a case by hand

    /**
     * One query [1, 0] against keys [1, 0], [0, 1], [2, 0], [0, -3] with scale 1, softcap 1 and
     * an additive mask [0, -1, -inf, 0.5] (4-D scores [1, 1, 1, 4]); every number written out.
     */
    @Test
    void handComputedStages() {
        Tensor q = Tensor.bhsd(new float[] {1, 0}, 1, 1, 1, 2);
        Tensor k = Tensor.bhsd(new float[] {1, 0, 0, 1, 2, 0, 0, -3}, 1, 1, 4, 2);
        Tensor v = Tensor.bhsd(new float[] {1, 2, 3, 4}, 1, 1, 4, 1);
        AttentionOptions base = AttentionOptions.builder().scale(1).softcap(1)
                .mask(AttentionMask.additive(new float[] {0, -1, Float.NEGATIVE_INFINITY, 0.5f}, 4)).build();
        double t1 = Math.tanh(1), t2 = Math.tanh(2), ninf = Double.NEGATIVE_INFINITY;
        double e0 = Math.exp(t1), e1 = Math.exp(-1), e3 = Math.exp(0.5), z = e0 + e1 + e3;
        double[][] expected = {
                {1, 0, 2, 0},
                {t1, 0, t2, 0},
                {t1, -1, ninf, 0.5},
                {e0 / z, e1 / z, 0, e3 / z}};
        for (ScoreStage st : ScoreStage.values()) {
            AttentionResult r = subject.attention(q, k, v, withScores(base, st));
            for (int j = 0; j < 4; j++) {
                double e = expected[st.onnxMode()][j];
                float a = r.scores().get(0, 0, 0, j);
                assertTrue(Double.isInfinite(e) ? a == e : Math.abs(a - e) <= 1e-6, st + " key " + j + ": " + a + ", expected " + e);
            }
        }
        AttentionResult r = subject.attention(q, k, v, base);
        assertEquals((1 * e0 + 2 * e1 + 4 * e3) / z, r.output().get(0, 0, 0, 0), 1e-6, "Y = P.V");
    }

    // ---------------------------------------------------------------- edges

    /** A query whose every key is masked: -inf at AFTER_MASK, zeros at AFTER_SOFTMAX; raw stages untouched. */
    @Test
    void fullyMaskedRow() {
        RandomInputs r = new RandomInputs(77);
        Tensor q = r.tensor(1, 2, 3, 8), k = r.tensor(1, 2, 5, 8), v = r.tensor(1, 2, 5, 4);
        boolean[] allowed = new boolean[3 * 5];
        for (int j = 0; j < 5; j++) allowed[5 + j] = true;   // rows 0 and 2 see nothing, row 1 everything
        AttentionOptions o = AttentionOptions.builder().mask(AttentionMask.bool(allowed, 3, 5)).build();
        for (ScoreStage st : ScoreStage.values()) {
            Tensor s = subject.attention(q, k, v, withScores(o, st)).scores();
            assertMatches("fully masked " + st, definition(q, k, withScores(o, st), st), s, tolerance(q, k, o, st));
            for (int j = 0; j < 5; j++) {
                float x = s.get(0, 1, 2, j);
                if (st == ScoreStage.AFTER_MASK) assertEquals(Float.NEGATIVE_INFINITY, x, "masked logit");
                if (st == ScoreStage.AFTER_SOFTMAX) assertEquals(0f, x, "masked probability");
                if (st.onnxMode() < 2) assertTrue(Float.isFinite(x), "raw scores are not masked");
            }
        }
    }

    /** NaN in a masked key stays out of AFTER_MASK and AFTER_SOFTMAX; NaN in a query row makes only that row NaN. */
    @Test
    void nanReachesOnlyWhatDependsOnIt() {
        RandomInputs r = new RandomInputs(78);
        Tensor q = r.tensor(1, 1, 4, 8), k = r.tensor(1, 1, 6, 8), v = r.tensor(1, 1, 6, 3);
        k.set(0, 0, 5, 2, Float.NaN);   // key 5, masked by the lengths below
        q.set(0, 0, 2, 0, Float.NaN);   // query row 2
        AttentionOptions o = AttentionOptions.builder().kvLengths(new int[] {5}).build();
        for (ScoreStage st : ScoreStage.values()) {
            Tensor s = subject.attention(q, k, v, withScores(o, st)).scores();
            assertMatches("NaN " + st, definition(q, k, withScores(o, st), st), s, tolerance(q, k, o, st));
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 6; j++) {
                    boolean nan = switch (st) {
                        case SCALED_QK, AFTER_SOFTCAP -> i == 2 || j == 5;
                        case AFTER_MASK -> i == 2 && j < 5;    // the masked key is -inf, NaN or not
                        case AFTER_SOFTMAX -> i == 2;          // a NaN row is NaN throughout, as its Y row
                    };
                    assertEquals(nan, Float.isNaN(s.get(0, 0, i, j)), st + " [" + i + "," + j + "] = " + s.get(0, 0, i, j));
                }
            }
        }
    }

    /** No key at all: one masked column. */
    @Test
    void noKeys() {
        RandomInputs r = new RandomInputs(79);
        Tensor q = r.tensor(1, 2, 3, 4), k = Tensor.zerosBhsd(1, 2, 0, 4), v = Tensor.zerosBhsd(1, 2, 0, 4);
        for (ScoreStage st : ScoreStage.values()) {
            Tensor s = subject.attention(q, k, v, AttentionOptions.builder().scoresOutput(st).build()).scores();
            assertEquals("[1, 2, 3, 1]", s.shapeString(), st + ": one column");
            float want = st == ScoreStage.AFTER_MASK ? Float.NEGATIVE_INFINITY : 0f;
            for (float x : s.toArray()) assertEquals(want, x, st.toString());
        }
    }

    @Test
    void badCalls() {
        RandomInputs r = new RandomInputs(80);
        Tensor q = r.tensor(1, 2, 3, 4), k = r.tensor(1, 2, 5, 4), v = r.tensor(1, 2, 5, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> subject.attention(q, k, v,
                AttentionOptions.builder().kernel(RbfImportanceKernel.standardForm()).scoresOutput(ScoreStage.SCALED_QK).build()));
        assertTrue(e.getMessage().contains("scoresOutput") && e.getMessage().contains("returnEnergy"), e.getMessage());
        try (ResidentTensor rq = subject.upload(q); ResidentTensor rk = subject.upload(k); ResidentTensor rv = subject.upload(v);
             ResidentTensor ro = subject.allocate(1, 2, 3, 4)) {
            e = assertThrows(IllegalArgumentException.class, () -> subject.attention(rq, rk, rv,
                    AttentionOptions.builder().scoresOutput(ScoreStage.AFTER_SOFTMAX).build(), ro));
            assertTrue(e.getMessage().contains("scoresOutput") && e.getMessage().contains("host form"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ScoreStage.ofOnnxMode(4));
        for (ScoreStage st : ScoreStage.values()) assertEquals(st, ScoreStage.ofOnnxMode(st.onnxMode()));
    }
}
