/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.BackendUnavailableException;
import dev.ika4j.api.DType;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Support;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.onnx.ConformanceRunner;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.testkit.RandomInputs.LastDim;
import dev.ika4j.testkit.RandomInputs.Storage;
import dev.ika4j.testkit.Scenario.MaskKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every backend must do, checked the same way for each: a backend's test class extends this
 * and says how to make the backend.
 *
 * <ul>
 *   <li>the ONNX conformance cases, through {@link ConformanceRunner} (what {@code ./ika
 *       conformance} runs);
 *   <li>agreement with the float64 oracle over {@link Scenario#standardSet()} (sizes 1, primes,
 *       odd head dims, GQA, every option) and a long key sequence, with tolerances that grow with
 *       the key count, the head dim and the size of the logits;
 *   <li>bad input: {@link IllegalArgumentException} naming the argument and the shapes;
 *   <li>NaN reaching exactly the outputs it should; a fully masked query giving zeros;
 *   <li>the resident API giving bit-identical results to the host call;
 *   <li>one instance used from 16 threads at once giving bit-identical results to sequential use.
 * </ul>
 *
 * A backend that cannot run here (no GPU, say) makes every test skip with the reason, unless the
 * system property {@code ika.test.requireBackends=true} asks for it to fail instead (for CI on
 * machines that do have the hardware).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    private AttentionBackend subject;

    /**
     * Creates the backend under test; called once per test class. Throwing
     * {@link BackendUnavailableException} skips the class with its reason.
     */
    protected abstract AttentionBackend backend();

    /** Non-null to skip the whole class with this reason before {@link #backend()} is called. */
    protected String unavailableReason() {
        return null;
    }

    /** The oracle's answer for a call; the float64 reference backend unless a subclass says otherwise. */
    protected AttentionResult expected(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        return REFERENCE.attention(q, k, v, options);
    }

    /** Unit roundoff of the arithmetic the backend computes in: float32 unless overridden. */
    protected double epsilon() {
        return Math.ulp(1f);
    }

    /** Safety factor over the first-order error estimate of {@link #outputTolerance}. */
    protected double toleranceFactor() {
        return 8;
    }

    @BeforeAll
    final void openBackend() {
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
    final void closeBackend() {
        if (subject != null) subject.close();
    }

    protected final AttentionBackend subject() {
        return subject;
    }

    // ---------------------------------------------------------------- tolerances

    /**
     * Absolute tolerance for an output. First-order error analysis: each logit carries an error of
     * about eps * sqrt(dim) * L, where L = scale * max|q| * max|k| bounds |logit|, plus eps times
     * the largest additive bias; the softmax turns logit errors into output errors of the same size
     * times max|v|; the sum over keys adds about eps * sqrt(kv) * max|v|.
     */
    protected double outputTolerance(Tensor q, AttentionOptions o, AttentionResult expected) {
        return toleranceFactor() * epsilon() * Math.max(Compare.maxAbs(expected.presentValue()), Float.MIN_NORMAL)
                * (Math.sqrt(expected.presentKey().seq()) + Math.sqrt(q.dim()) * logitBound(q, o, expected) + maxBias(o) + 1);
    }

    /** Absolute tolerance for the energy (logits): the same logit error estimate, plus rounding of the logit itself. */
    protected double energyTolerance(Tensor q, AttentionOptions o, AttentionResult expected) {
        double l = logitBound(q, o, expected);
        return toleranceFactor() * epsilon() * ((Math.sqrt(q.dim()) + 1) * l + 2 * maxBias(o) + 1);
    }

    private static double logitBound(Tensor q, AttentionOptions o, AttentionResult expected) {
        double scale = o.scale() != null ? o.scale() : 1 / Math.sqrt(q.dim());
        return scale * Compare.maxRowNorm(q) * Compare.maxRowNorm(expected.presentKey());
    }

    private static double maxBias(AttentionOptions o) {
        AttentionMask m = o.mask();
        double max = 0;
        if (m != null && !m.isBoolean()) for (float b : m.additiveData()) if (Float.isFinite(b)) max = Math.max(max, Math.abs(b));
        return max;
    }

    /** Checks {@code got} against the oracle for the same call. */
    protected final void assertMatchesOracle(String what, Tensor q, Tensor k, Tensor v, AttentionOptions o, AttentionResult got) {
        AttentionResult exp = expected(q, k, v, o);
        Compare.assertClose(what + ": output", exp.output(), got.output(), outputTolerance(q, o, exp));
        assertEquals(q.layout(), got.output().layout(), what + ": the output is in the layout of Q");
        Compare.assertIdentical(what + ": presentKey", exp.presentKey(), got.presentKey());
        Compare.assertIdentical(what + ": presentValue", exp.presentValue(), got.presentValue());
        if (o.returnEnergy()) {
            Compare.assertClose(what + ": energy", exp.energy(), got.energy(), energyTolerance(q, o, exp));
        } else {
            assertNull(got.energy(), what + ": energy returned though not requested");
        }
        assertEquals(0.0, got.regularizer(), what + ": the standard kernel has no regulariser");
    }

    // ---------------------------------------------------------------- ONNX conformance

    @Test
    void onnxConformanceCasesPass() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Summary s;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            s = ConformanceRunner.run(TestData.conformanceDir(), List.of(subject), out);
        }
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertEquals(0, s.failed(), report);
        assertEquals(15, s.passed(), report);
        assertEquals(0, s.exitCode(), report);
    }

    // ---------------------------------------------------------------- agreement with the oracle

    static Stream<Scenario> scenarios() {
        return Scenario.standardSet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void matchesOracle(Scenario sc) {
        Scenario.Inputs in = sc.inputs();
        List<float[]> before = snapshot(in);
        AttentionResult got = subject.attention(in.q(), in.k(), in.v(), in.options());
        assertMatchesOracle(sc.toString(), in.q(), in.k(), in.v(), in.options(), got);
        assertTrue(Arrays.deepEquals(before.toArray(), snapshot(in).toArray()), sc + ": the call modified its inputs");
    }

    private static List<float[]> snapshot(Scenario.Inputs in) {
        List<float[]> out = new ArrayList<>(List.of(in.q().toArray(), in.k().toArray(), in.v().toArray()));
        if (in.options().pastKey() != null) {
            out.add(in.options().pastKey().toArray());
            out.add(in.options().pastValue().toArray());
        }
        return out;
    }

    /** Guards the generator: if a change to it dropped an option, this says which. */
    @Test
    void standardScenariosCoverEveryOption() {
        List<Scenario> all = Scenario.standardSet();
        List<String> missing = new ArrayList<>();
        cover(all, missing, "batch 3", s -> s.batch() == 3);
        cover(all, missing, "q_seq 1", s -> s.qSeq() == 1);
        cover(all, missing, "kv_seq 1", s -> s.kvSeq() == 1 && s.pastSeq() == 0);
        cover(all, missing, "q_seq > total kv", s -> s.qSeq() > s.totalKv());
        cover(all, missing, "prime kv_seq >= 97", s -> s.kvSeq() >= 97);
        cover(all, missing, "GQA group >= 4", s -> s.qHeads() / s.kvHeads() >= 4);
        cover(all, missing, "GQA group 3", s -> s.qHeads() / s.kvHeads() == 3);
        for (int d : new int[] {1, 3, 17, 65}) cover(all, missing, "dim " + d, s -> s.dim() == d);
        cover(all, missing, "v_dim != dim", s -> s.vDim() != s.dim());
        cover(all, missing, "v_dim 1", s -> s.vDim() == 1);
        cover(all, missing, "past", s -> s.pastSeq() > 0);
        cover(all, missing, "past + causal", s -> s.pastSeq() > 0 && s.causal());
        cover(all, missing, "explicit scale", s -> s.scale() != null && s.scale() > 0);
        cover(all, missing, "scale 0", s -> s.scale() != null && s.scale() == 0);
        cover(all, missing, "softcap", s -> s.softcap() > 0);
        cover(all, missing, "softcap + additive mask", s -> s.softcap() > 0 && s.mask() == MaskKind.ADDITIVE);
        cover(all, missing, "kvLengths", Scenario::lengths);
        cover(all, missing, "kvLengths + causal", s -> s.lengths() && s.causal());
        cover(all, missing, "energy", Scenario::energy);
        for (Storage st : Storage.values()) cover(all, missing, "storage " + st, s -> s.storage() == st);
        for (MaskKind m : new MaskKind[] {MaskKind.BOOL, MaskKind.ADDITIVE}) {
            for (int r = 1; r <= 4; r++) {
                int rank = r;
                cover(all, missing, m + " mask rank " + r, s -> s.mask() == m && s.maskRank() == rank);
            }
            for (LastDim l : LastDim.values()) cover(all, missing, m + " mask last dim " + l, s -> s.mask() == m && s.maskLast() == l);
        }
        cover(all, missing, "packed + GQA", s -> s.storage() == Storage.PACKED && s.qHeads() != s.kvHeads());
        assertTrue(missing.isEmpty(), "the standard scenarios lack: " + missing);
    }

    private static void cover(List<Scenario> all, List<String> missing, String what, Predicate<Scenario> p) {
        if (all.stream().noneMatch(p)) missing.add(what);
    }

    @Test
    void longKeySequence() {
        // decode-like: 1026 cached keys and 5 new ones, causal, so query i sees 1027 + i keys
        check(new Scenario("long-causal-past", 31, 1, 4, 2, 5, 5, 1026, 65, 33, Storage.HEAP, null, true, MaskKind.NONE, 1,
                LastDim.FULL, 0, false, true));
        // 1031 keys (prime) with a short boolean mask and per-batch lengths
        check(new Scenario("long-masked", 32, 2, 2, 1, 3, 1031, 0, 17, 17, Storage.PACKED, null, false, MaskKind.BOOL, 2,
                LastDim.SHORT, 0, true, false));
    }

    @Test
    void largeLogitsStayFinite() {
        // logits in the hundreds: exp without the max subtracted would overflow
        RandomInputs r = new RandomInputs(41);
        Tensor q = scaled(r.tensor(2, 2, 7, 16), 40f), k = r.tensor(2, 1, 23, 16), v = r.tensor(2, 1, 23, 5);
        AttentionOptions o = AttentionOptions.builder().causal(true).build();
        AttentionResult got = subject.attention(q, k, v, o);
        for (float x : got.output().toArray()) assertTrue(Float.isFinite(x), "non-finite output for finite inputs");
        assertMatchesOracle("large logits", q, k, v, o, got);
    }

    private void check(Scenario sc) {
        Scenario.Inputs in = sc.inputs();
        assertMatchesOracle(sc.toString(), in.q(), in.k(), in.v(), in.options(),
                subject.attention(in.q(), in.k(), in.v(), in.options()));
    }

    private static Tensor scaled(Tensor t, float f) {
        float[] a = t.toArray();
        for (int i = 0; i < a.length; i++) a[i] *= f;
        return Tensor.bhsd(a, t.batch(), t.heads(), t.seq(), t.dim());
    }

    // ---------------------------------------------------------------- bad input

    private static void assertRejected(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = String.valueOf(e.getMessage());
        for (String m : mustMention) assertTrue(msg.contains(m), () -> "message '" + msg + "' should mention '" + m + "'");
    }

    @Test
    void rejectsMismatchedShapes() {
        RandomInputs r = new RandomInputs(51);
        Tensor q = r.tensor(2, 4, 3, 8), k = r.tensor(2, 2, 5, 8), v = r.tensor(2, 2, 5, 6);
        Tensor kDim = r.tensor(2, 2, 5, 7);
        assertRejected(() -> subject.attention(q, kDim, v), "head_dim", q.shapeString(), kDim.shapeString());
        Tensor vSeq = r.tensor(2, 2, 4, 6);
        assertRejected(() -> subject.attention(q, k, vSeq), "kv_seq", k.shapeString(), vSeq.shapeString());
        Tensor vHeads = r.tensor(2, 1, 5, 6);
        assertRejected(() -> subject.attention(q, k, vHeads), "kv_heads", k.shapeString(), vHeads.shapeString());
        Tensor kBatch = r.tensor(1, 2, 5, 8);
        assertRejected(() -> subject.attention(q, kBatch, v), "batch", q.shapeString(), kBatch.shapeString());
    }

    @Test
    void rejectsQueryHeadsNotAMultipleOfKvHeads() {
        RandomInputs r = new RandomInputs(52);
        Tensor q = r.tensor(1, 3, 4, 8), k = r.tensor(1, 2, 5, 8), v = r.tensor(1, 2, 5, 8);
        assertRejected(() -> subject.attention(q, k, v), "q_heads", "kv_heads", q.shapeString(), k.shapeString());
    }

    @Test
    void rejectsMaskThatDoesNotBroadcast() {
        RandomInputs r = new RandomInputs(53);
        Tensor q = r.tensor(2, 2, 4, 8), k = r.tensor(2, 2, 5, 8), v = r.tensor(2, 2, 5, 8);
        AttentionMask rows = r.boolMask(new int[] {3, 5}, 0.5);           // 3 query rows, not 4 or 1
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().mask(rows).build()), "attn_mask", "[3, 5]");
        AttentionMask cols = r.additiveMask(new int[] {4, 6}, 0.1);       // more columns than the 5 keys
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().mask(cols).build()), "attn_mask", "[4, 6]");
        AttentionMask heads = r.boolMask(new int[] {2, 3, 4, 5}, 0.5);    // 3 heads, not 2 or 1
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().mask(heads).build()), "attn_mask", "[2, 3, 4, 5]");
    }

    @Test
    void rejectsBadPastAndLengths() {
        RandomInputs r = new RandomInputs(54);
        Tensor q = r.tensor(2, 2, 4, 8), k = r.tensor(2, 2, 5, 8), v = r.tensor(2, 2, 5, 8);
        Tensor pk = r.tensor(2, 2, 3, 7), pv = r.tensor(2, 2, 3, 8);
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().past(pk, pv).build()),
                "pastKey", pk.shapeString(), k.shapeString());
        Tensor pk2 = r.tensor(2, 2, 3, 8), pv2 = r.tensor(2, 2, 2, 8);
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().past(pk2, pv2).build()),
                "pastValue", pv2.shapeString());
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().kvLengths(new int[] {5}).build()),
                "kvLengths", q.shapeString());
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().kvLengths(new int[] {5, 6}).build()),
                "kvLengths[1]");
        assertRejected(() -> subject.attention(q, k, v, AttentionOptions.builder().kvLengths(new int[] {-1, 2}).build()),
                "kvLengths[0]");
    }

    @Test
    void rejectsBadScaleAndSoftcap() {
        for (double bad : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected(() -> AttentionOptions.builder().scale(bad), "scale", String.valueOf(bad));
            assertRejected(() -> AttentionOptions.builder().softcap(bad), "softcap", String.valueOf(bad));
        }
    }

    @Test
    void rejectsNullArguments() {
        RandomInputs r = new RandomInputs(55);
        Tensor q = r.tensor(1, 2, 3, 4), k = r.tensor(1, 2, 5, 4), v = r.tensor(1, 2, 5, 4);
        AttentionOptions o = AttentionOptions.DEFAULT;
        assertNullRejected(() -> subject.attention(null, k, v, o), "q");
        assertNullRejected(() -> subject.attention(q, null, v, o), "k");
        assertNullRejected(() -> subject.attention(q, k, null, o), "v");
        assertNullRejected(() -> subject.attention(q, k, v, null), "options");
        assertNullRejected(() -> subject.supports(q, k, null, o), "v");
        assertNullRejected(() -> subject.upload(null), "host");
    }

    /** The Java rule: a null argument is a NullPointerException whose message is the parameter's name. */
    private static void assertNullRejected(Executable call, String parameter) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage(), "the exception names the null parameter");
    }

    // ---------------------------------------------------------------- support

    @Test
    void supportsEveryValidFloat32Call() {
        RandomInputs r = new RandomInputs(57);
        Tensor q = r.tensor(1, 4, 3, 8), k = r.tensor(1, 2, 5, 8), v = r.tensor(1, 2, 5, 6);
        AttentionOptions o = AttentionOptions.builder().causal(true).past(r.tensor(1, 2, 2, 8), r.tensor(1, 2, 2, 6)).build();
        assertTrue(subject.supports(q, k, v, o).supported(), () -> subject.supports(q, k, v, o).reason());
        assertEquals("", subject.supports(q, k, v, o).reason());
    }

    @Test
    void everyDTypeCombinationMatchesTheFloat64Reference() {
        for (long seed = 0; seed < 3; seed++) DTypeCases.checkAgainstReference(subject, 1100 + seed, epsilon(), toleranceFactor());
    }

    @Test
    void paperKernelsReadHalfInputsAsTheirFloat32Values() {
        DTypeCases.checkPaperKernel(subject, 1110, epsilon(), toleranceFactor());
    }

    @Test
    void badDTypeCombinationsNameTheArgumentItsDTypeAndShape() {
        DTypeCases.checkRules(subject);
        RandomInputs r = new RandomInputs(58);
        assertRejected(() -> subject.supports(r.tensor(1, 2, 3, 4), r.tensor(1, 2, 5, 3), r.tensor(1, 2, 5, 4),
                AttentionOptions.DEFAULT), "head_dim");
    }

    @Test
    void rejectsBadResidentCalls() {
        RandomInputs r = new RandomInputs(56);
        Tensor q = r.tensor(1, 2, 3, 4), k = r.tensor(1, 1, 5, 4), v = r.tensor(1, 1, 5, 6);
        try (ResidentTensor rq = subject.upload(q); ResidentTensor rk = subject.upload(k); ResidentTensor rv = subject.upload(v);
             ResidentTensor wrong = subject.allocate(1, 2, 3, 4); ResidentTensor out = subject.allocate(1, 2, 3, 6)) {
            assertRejected(() -> subject.attention(rq, rk, rv, AttentionOptions.DEFAULT, wrong), "out", wrong.shapeString(), "[1, 2, 3, 6]");
            AttentionOptions past = AttentionOptions.builder().past(r.tensor(1, 1, 2, 4), r.tensor(1, 1, 2, 6)).build();
            assertRejected(() -> subject.attention(rq, rk, rv, past, out), "past");
            Tensor host = Tensor.zerosBhsd(1, 2, 3, 5);
            assertRejected(() -> subject.download(out, host), out.shapeString(), host.shapeString());
            assertNullRejected(() -> subject.attention(rq, rk, rv, AttentionOptions.DEFAULT, null), "out");
        }
    }

    // ---------------------------------------------------------------- NaN and fully masked rows

    @Test
    void nanInOneQueryRowReachesOnlyThatRow() {
        RandomInputs r = new RandomInputs(61);
        Tensor q = r.tensor(2, 4, 5, 9), k = r.tensor(2, 2, 7, 9), v = r.tensor(2, 2, 7, 6);
        q.set(1, 3, 2, 4, Float.NaN);
        AttentionResult got = subject.attention(q, k, v);
        assertNaNExactlyWhere(got.output(), (b, h, i, c) -> b == 1 && h == 3 && i == 2, "NaN in Q[1,3,2,4]");
        assertMatchesOracle("NaN in Q", q, k, v, AttentionOptions.DEFAULT, got);
    }

    @Test
    void nanInOneKeyReachesOnlyTheQueriesThatSeeIt() {
        RandomInputs r = new RandomInputs(62);
        Tensor q = r.tensor(2, 4, 6, 9), k = r.tensor(2, 2, 6, 9), v = r.tensor(2, 2, 6, 5);
        k.set(0, 1, 4, 7, Float.NaN);
        AttentionOptions o = AttentionOptions.builder().causal(true).build();
        AttentionResult got = subject.attention(q, k, v, o);
        // kv head 1 serves query heads 2 and 3; causal: only queries i >= 4 see key 4
        assertNaNExactlyWhere(got.output(), (b, h, i, c) -> b == 0 && h >= 2 && i >= 4, "NaN in K[0,1,4,7], causal");
        assertMatchesOracle("NaN in K", q, k, v, o, got);
    }

    @Test
    void nanInOneValueReachesOnlyItsColumn() {
        RandomInputs r = new RandomInputs(63);
        Tensor q = r.tensor(2, 4, 5, 9), k = r.tensor(2, 2, 7, 9), v = r.tensor(2, 2, 7, 6);
        v.set(1, 0, 3, 2, Float.NaN);
        AttentionResult got = subject.attention(q, k, v);
        assertNaNExactlyWhere(got.output(), (b, h, i, c) -> b == 1 && h <= 1 && c == 2, "NaN in V[1,0,3,2]");
        assertMatchesOracle("NaN in V", q, k, v, AttentionOptions.DEFAULT, got);
    }

    @Test
    void nanInMaskedKeysAndValuesDoesNotLeak() {
        RandomInputs r = new RandomInputs(64);
        int kv = 9;
        Tensor q = r.tensor(2, 2, 4, 8), k = r.tensor(2, 2, kv, 8), v = r.tensor(2, 2, kv, 5);
        // key 2 is masked for everyone; keys 7, 8 of batch 0 are padding past kvLengths
        for (int b = 0; b < 2; b++)
            for (int g = 0; g < 2; g++) {
                k.set(b, g, 2, 3, Float.NaN);
                v.set(b, g, 2, 1, Float.NaN);
            }
        k.set(0, 1, 7, 0, Float.NaN);
        v.set(0, 0, 8, 4, Float.NaN);
        boolean[] allowed = new boolean[kv];
        Arrays.fill(allowed, true);
        allowed[2] = false;
        AttentionOptions o = AttentionOptions.builder().mask(AttentionMask.bool(allowed, kv)).kvLengths(new int[] {7, kv})
                .returnEnergy(true).build();
        AttentionResult got = subject.attention(q, k, v, o);
        assertNaNExactlyWhere(got.output(), (b, h, i, c) -> false, "NaN only in masked keys/values");
        assertMatchesOracle("NaN in masked keys", q, k, v, o, got);
        // same for an additive -inf mask and for causal future keys
        float[] bias = r.uniforms(kv);
        bias[2] = Float.NEGATIVE_INFINITY;
        AttentionOptions o2 = AttentionOptions.builder().mask(AttentionMask.additive(bias, 1, kv)).build();
        Tensor k2 = k.copy(), v2 = v.copy();
        k2.set(1, 0, 8, 0, Float.NaN); // the last key: with causal and q_seq 4, no query sees it
        AttentionResult got2 = subject.attention(q, k2, v2, o2.toBuilder().causal(true).kvLengths(new int[] {7, kv}).build());
        assertNaNExactlyWhere(got2.output(), (b, h, i, c) -> false, "NaN only in masked / future keys");
    }

    @FunctionalInterface
    private interface At {
        boolean test(int b, int h, int i, int c);
    }

    private static void assertNaNExactlyWhere(Tensor out, At expectNaN, String what) {
        for (int b = 0; b < out.batch(); b++)
            for (int h = 0; h < out.heads(); h++)
                for (int i = 0; i < out.seq(); i++)
                    for (int c = 0; c < out.dim(); c++) {
                        float x = out.get(b, h, i, c);
                        boolean want = expectNaN.test(b, h, i, c);
                        if (want && !Float.isNaN(x)) fail(what + ": output[" + b + "," + h + "," + i + "," + c + "] = " + x + ", expected NaN");
                        if (!want && !Float.isFinite(x)) fail(what + ": output[" + b + "," + h + "," + i + "," + c + "] = " + x + " leaked; expected finite");
                    }
    }

    @Test
    void fullyMaskedQueriesGiveZeros() {
        RandomInputs r = new RandomInputs(71);
        int batch = 2, qSeq = 4, kv = 6;
        Tensor q = r.tensor(batch, 2, qSeq, 5), k = r.tensor(batch, 1, kv, 5), v = r.tensor(batch, 1, kv, 3);
        // bool: rows (b0, i1) and (b1, i3) allow nothing
        boolean[] allowed = new boolean[batch * qSeq * kv];
        Arrays.fill(allowed, true);
        Arrays.fill(allowed, (0 * qSeq + 1) * kv, (0 * qSeq + 2) * kv, false);
        Arrays.fill(allowed, (1 * qSeq + 3) * kv, (1 * qSeq + 4) * kv, false);
        At dead = (b, h, i, c) -> b == 0 && i == 1 || b == 1 && i == 3;
        checkZeroRows(q, k, v, AttentionOptions.builder().mask(AttentionMask.bool(allowed, batch, 1, qSeq, kv)).returnEnergy(true).build(), dead, "bool mask");
        // additive: the same rows all -inf
        float[] bias = r.uniforms(batch * qSeq * kv);
        for (int j = 0; j < kv; j++) {
            bias[(0 * qSeq + 1) * kv + j] = Float.NEGATIVE_INFINITY;
            bias[(1 * qSeq + 3) * kv + j] = Float.NEGATIVE_INFINITY;
        }
        checkZeroRows(q, k, v, AttentionOptions.builder().mask(AttentionMask.additive(bias, batch, 1, qSeq, kv)).build(), dead, "additive mask");
        // lengths: batch 0 has no valid key at all
        checkZeroRows(q, k, v, AttentionOptions.builder().kvLengths(new int[] {0, kv}).causal(true).build(),
                (b, h, i, c) -> b == 0, "kvLengths 0");
    }

    private void checkZeroRows(Tensor q, Tensor k, Tensor v, AttentionOptions o, At dead, String what) {
        AttentionResult got = subject.attention(q, k, v, o);
        Tensor out = got.output();
        for (int b = 0; b < out.batch(); b++)
            for (int h = 0; h < out.heads(); h++)
                for (int i = 0; i < out.seq(); i++)
                    for (int c = 0; c < out.dim(); c++) {
                        float x = out.get(b, h, i, c);
                        if (dead.test(b, h, i, c)) {
                            assertEquals(0f, Math.abs(x), what + ": fully masked output[" + b + "," + h + "," + i + "," + c + "]");
                        } else {
                            assertTrue(Float.isFinite(x), what + ": output[" + b + "," + h + "," + i + "," + c + "] = " + x);
                        }
                    }
        if (got.energy() != null) {
            Tensor e = got.energy();
            for (int b = 0; b < e.batch(); b++)
                for (int h = 0; h < e.heads(); h++)
                    for (int i = 0; i < e.seq(); i++)
                        if (dead.test(b, h, i, 0))
                            for (int j = 0; j < e.dim(); j++)
                                assertEquals(Float.NEGATIVE_INFINITY, e.get(b, h, i, j), what + ": energy of a masked key");
        }
        assertMatchesOracle(what, q, k, v, o, got);
    }

    // ---------------------------------------------------------------- resident API

    static Stream<Scenario> residentScenarios() {
        List<Scenario> all = Scenario.standardSet();
        return Stream.concat(all.stream().limit(11), all.stream().skip(11).limit(5)).map(Scenario::forResident);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("residentScenarios")
    void residentCallEqualsHostCall(Scenario sc) {
        Scenario.Inputs in = sc.inputs();
        Tensor host = subject.attention(in.q(), in.k(), in.v(), in.options()).output();
        Tensor back = residentCall(in);
        Compare.assertIdentical(sc + ": resident vs host", host, back);
    }

    private Tensor residentCall(Scenario.Inputs in) {
        Tensor q = in.q();
        try (ResidentTensor rq = subject.upload(q); ResidentTensor rk = subject.upload(in.k()); ResidentTensor rv = subject.upload(in.v());
             ResidentTensor out = subject.allocate(q.batch(), q.heads(), q.seq(), in.v().dim())) {
            assertEquals(subject.name(), rq.backend());
            assertEquals(List.of(q.batch(), q.heads(), q.seq(), q.dim()), List.of(rq.batch(), rq.heads(), rq.seq(), rq.dim()));
            subject.attention(rq, rk, rv, in.options(), out);
            subject.synchronize();
            Tensor back = Tensor.zerosBhsd(q.batch(), q.heads(), q.seq(), in.v().dim());
            subject.download(out, back);
            return back;
        }
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentCallsGiveSingleThreadedResults() throws Exception {
        int threads = 16;
        List<Scenario.Inputs> inputs = new ArrayList<>();
        for (long seed = 5000; inputs.size() < threads; seed++) {
            Scenario sc = Scenario.random("concurrent-" + inputs.size(), seed);
            if (sc.cost() > 300_000) continue; // keep 64 calls on the float64 reference within a second or two
            inputs.add((inputs.size() % 2 == 1 ? sc.forResident() : sc).inputs());
        }
        // odd threads use the resident API, even ones the host call: both must be thread-safe
        List<Tensor> sequential = new ArrayList<>();
        for (int t = 0; t < threads; t++) sequential.add(call(inputs.get(t), t % 2 == 1));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Tensor>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        return call(inputs.get(id), id % 2 == 1);
                    }));
                }
                go.countDown();
                for (int t = 0; t < threads; t++) {
                    Tensor got = futures.get(t).get(2, TimeUnit.MINUTES);
                    Compare.assertIdentical("round " + round + ", thread " + t, sequential.get(t), got);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Tensor call(Scenario.Inputs in, boolean resident) {
        return resident ? residentCall(in) : subject.attention(in.q(), in.k(), in.v(), in.options()).output();
    }
}
