/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.HostBackend;
import dev.ika4j.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's discovery, role binding, attribute checks, output format and exit code. */
class ConformanceRunnerTest {
    private static final Path CASES = TestData.conformanceDir();
    private final AttentionBackend ref = new ReferenceBackend();

    private record Run(ConformanceRunner.Summary summary, List<String> lines) {}

    private Run run(Path dir) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Summary s;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            s = ConformanceRunner.run(dir, List.of(ref), out);
        }
        return new Run(s, buf.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void shippedCasesPassOnTheReferenceWithinTheDocumentedBounds() throws IOException {
        Run r = run(CASES);
        assertEquals("15 passed, 0 failed", r.lines().getLast());
        assertEquals(16, r.lines().size(), "one line per case, then the summary: " + r.lines());
        assertEquals(0, r.summary().exitCode());
        for (ConformanceCase.Result res : r.summary().results()) {
            // float64 then rounded to float32: within one float ulp of the float32 expected values
            // (all below 1); float16 expected values carry half-precision rounding (README: < 3e-4)
            double bound = res.caseName().contains("fp16") ? 3e-4 : 6e-8;
            assertTrue(res.maxAbsError() <= bound, res.caseName() + ": " + res.maxAbsError());
        }
    }

    @Test
    void byNameRunsOpenAndCloseTheBackendsAndSayWhichWereLeftOut() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Summary s = ConformanceRunner.run(CASES, "auto", new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        // auto: every available backend; the test-only unavailable provider is named with its reason
        assertTrue(lines.getFirst().startsWith("backends: ") && lines.getFirst().contains("reference"), lines.getFirst());
        assertTrue(lines.getFirst().contains("not run: " + dev.ika4j.testkit.UnavailableTestProvider.NAME + " ("
                + dev.ika4j.testkit.UnavailableTestProvider.REASON + ")"), lines.getFirst());
        int backends = ConformanceRunner.backendNames("auto").size();
        assertEquals(15 * backends, s.passed(), lines.toString());
        assertEquals(15 * backends + " passed, 0 failed", lines.getLast());
        buf.reset();
        s = ConformanceRunner.run(CASES, "reference", new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(15, s.passed());
        assertEquals("backends: reference", buf.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
    }

    /**
     * A FLOAT16 case runs in half precision: Q, K, V go in as float16 tensors and Y comes back in
     * float16, rounded once, which lands on the operator's expected float16 values exactly (in
     * float32 the same case was 2.4e-4 off them: the expected values' own rounding).
     */
    @Test
    void float16CasesRunInHalfPrecisionAndMatchTheExpectedHalves() throws IOException {
        ConformanceCase c = ConformanceCase.load(CASES.resolve("test_attention_4d_fp16"));
        ConformanceCase.Result res = c.run(new dev.ika4j.api.reference.ReferenceBackend());
        assertTrue(res.passed(), res.detail());
        assertEquals(0.0, res.maxAbsError(), res.detail());
    }

    @Test
    void float16CasesGetTheHalfPrecisionTolerance() throws IOException {
        assertEquals(ConformanceCase.FLOAT16, ConformanceCase.load(CASES.resolve("test_attention_4d_fp16")).tolerance());
        assertEquals(ConformanceCase.FLOAT32, ConformanceCase.load(CASES.resolve("test_attention_4d")).tolerance());
    }

    @Test
    void nothingToRunIsAFailure(@TempDir Path tmp) throws IOException {
        Run r = run(tmp);
        assertEquals("0 passed, 0 failed", r.lines().getLast());
        assertEquals(1, r.summary().exitCode());
        assertThrows(IllegalArgumentException.class, () -> run(tmp.resolve("missing")));
    }

    @Test
    void findsCasesAtAnyDepthAndSkipsOtherOperators(@TempDir Path tmp) throws IOException {
        copyCase("test_attention_4d_gqa", tmp.resolve("a/b/c/gqa"));
        Path other = Files.createDirectories(tmp.resolve("a/relu"));
        Files.write(other.resolve("model.onnx"), ProtoWriter.model(ProtoWriter.node("Relu", new String[] {"x"}, new String[] {"y"}),
                new String[] {"x"}, new String[] {"y"}));
        Run r = run(tmp);
        assertEquals(1, r.summary().passed());
        assertEquals(1, r.summary().skipped());
        assertEquals("1 passed, 0 failed", r.lines().getLast());
        assertTrue(r.lines().getFirst().startsWith("PASS  gqa "), r.lines().getFirst());
    }

    @Test
    void unsupportedOrUnknownAttributesFailClearly(@TempDir Path tmp) throws IOException {
        writeModel(tmp.resolve("mode4"), ProtoWriter.intAttribute("qk_matmul_output_mode", 4));
        writeModel(tmp.resolve("unknown"), ProtoWriter.intAttribute("foo", 1));
        writeModel(tmp.resolve("precision64"), ProtoWriter.intAttribute("softmax_precision", 11));
        writeModel(tmp.resolve("mode0"), ProtoWriter.intAttribute("qk_matmul_output_mode", 0));
        // a mode without the output it selects leaves Y alone
        writeModel(tmp.resolve("mode3"), ProtoWriter.intAttribute("qk_matmul_output_mode", 3));
        Run r = run(tmp);
        assertEquals("2 passed, 3 failed", r.lines().getLast());
        assertEquals(1, r.summary().exitCode());
        assertTrue(line(r, "mode4").contains("unsupported attribute qk_matmul_output_mode=4: must be 0, 1, 2 or 3"), line(r, "mode4"));
        assertTrue(line(r, "unknown").contains("unsupported attribute foo=1"), line(r, "unknown"));
        assertTrue(line(r, "precision64").contains("unsupported attribute softmax_precision=11"), line(r, "precision64"));
        assertTrue(line(r, "mode0").startsWith("PASS"), line(r, "mode0"));
        assertTrue(line(r, "mode3").startsWith("PASS"), line(r, "mode3"));
    }

    /**
     * qk_matmul_output is compared, at the stage the attribute names: test_attention_4d's inputs
     * with an expected fourth output of scale * Q.K^T computed here pass in mode 0 (the default),
     * fail in mode 3 (the softmax), and fail in mode 0 once one expected value is moved.
     */
    @Test
    void theScoresOutputIsComparedAtItsStage(@TempDir Path tmp) throws IOException {
        OnnxTensor q = OnnxTensor.read(CASES.resolve("test_attention_4d/test_data_set_0/input_0.pb"));
        OnnxTensor k = OnnxTensor.read(CASES.resolve("test_attention_4d/test_data_set_0/input_1.pb"));
        int b = q.dim(0), h = q.dim(1), lq = q.dim(2), d = q.dim(3), lk = k.dim(2);
        float[] qf = q.floats(), kf = k.floats(), s = new float[b * h * lq * lk];
        for (int x = 0; x < b * h; x++)
            for (int i = 0; i < lq; i++)
                for (int j = 0; j < lk; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += (double) qf[(x * lq + i) * d + c] * kf[(x * lk + j) * d + c];
                    s[(x * lq + i) * lk + j] = (float) (dot / Math.sqrt(d));
                }
        writeScoresCase(tmp.resolve("qk_default"), s, new int[] {b, h, lq, lk});
        writeScoresCase(tmp.resolve("qk_softmax"), s, new int[] {b, h, lq, lk}, ProtoWriter.intAttribute("qk_matmul_output_mode", 3));
        float[] moved = s.clone();
        moved[41] += 1e-3f;
        writeScoresCase(tmp.resolve("qk_moved"), moved, new int[] {b, h, lq, lk});
        Run r = run(tmp);
        assertEquals("1 passed, 2 failed", r.lines().getLast(), r.lines().toString());
        assertTrue(line(r, "qk_default").startsWith("PASS") && line(r, "qk_default").contains("qk_matmul_output"), line(r, "qk_default"));
        assertTrue(line(r, "qk_softmax").contains("qk_matmul_output: "), line(r, "qk_softmax"));
        assertTrue(line(r, "qk_moved").contains("qk_matmul_output: 1 of 144 values"), line(r, "qk_moved"));
    }

    /** test_attention_4d with outputs (Y, -, -, qk_matmul_output) and the given expected scores. */
    private static void writeScoresCase(Path dir, float[] scores, int[] dims, ProtoWriter... attributes) throws IOException {
        copyCase("test_attention_4d", dir);
        Files.write(dir.resolve("model.onnx"), ProtoWriter.model(
                ProtoWriter.node("Attention", new String[] {"Q", "K", "V"}, new String[] {"Y", "", "", "qk"}, attributes),
                new String[] {"Q", "K", "V"}, new String[] {"Y", "qk"}));
        ByteBuffer raw = ByteBuffer.allocate(4 * scores.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : scores) raw.putFloat(x);
        ProtoWriter w = new ProtoWriter();
        for (int x : dims) w.varint(1, x);
        Files.write(dir.resolve("test_data_set_0/output_1.pb"), w.varint(2, 1).string(8, "qk").bytes(9, raw.array()).toByteArray());
    }

    @Test
    void attributesChangeTheComputation(@TempDir Path tmp) throws IOException {
        // test_attention_4d's data under a causal node must fail: the attribute is really applied
        writeModel(tmp.resolve("causal"), ProtoWriter.intAttribute("is_causal", 1));
        writeModel(tmp.resolve("scaled"), ProtoWriter.floatAttribute("scale", 0.5f));
        Run r = run(tmp);
        assertEquals("0 passed, 2 failed", r.lines().getLast());
        assertTrue(line(r, "causal").contains("values outside"), line(r, "causal"));
    }

    @Test
    void rolesFollowTensorNamesWhenTheGraphListsInputsInAnotherOrder(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("reordered");
        copyCase("test_attention_4d_diff_heads_sizes", dir);
        // graph inputs V, K, Q: input_0.pb (named Q) must still be Q, found by its name
        Files.write(dir.resolve("model.onnx"), ProtoWriter.model(
                ProtoWriter.node("Attention", new String[] {"Q", "K", "V"}, new String[] {"Y"}),
                new String[] {"V", "K", "Q"}, new String[] {"Y"}));
        Run r = run(tmp);
        assertEquals("1 passed, 0 failed", r.lines().getLast(), r.lines().toString());
    }

    @Test
    void aWrongExpectedValueFails(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("tampered");
        copyCase("test_attention_4d_attn_mask", dir);
        Path y = dir.resolve("test_data_set_0/output_0.pb");
        OnnxTensor t = OnnxTensor.read(y);
        float[] v = t.floats();
        v[17] += 1e-3f;
        ByteBuffer raw = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) raw.putFloat(x);
        ProtoWriter w = new ProtoWriter();
        for (long d : t.dims()) w.varint(1, d);
        Files.write(y, w.varint(2, 1).string(8, t.name()).bytes(9, raw.array()).toByteArray());
        Run r = run(tmp);
        assertEquals("0 passed, 1 failed", r.lines().getLast());
        assertTrue(r.lines().getFirst().startsWith("FAIL  tampered"), r.lines().getFirst());
        assertTrue(r.lines().getFirst().contains("1 of 192 values"), r.lines().getFirst());
    }

    @Test
    void aBackendThatThrowsFailsTheCaseWithoutStoppingTheRun(@TempDir Path tmp) throws IOException {
        copyCase("test_attention_4d", tmp.resolve("one"));
        copyCase("test_attention_4d_causal", tmp.resolve("two"));
        AttentionBackend broken = new HostBackend() {
            @Override public String name() { return "broken"; }
            @Override public Map<String, String> properties() { return Map.of(); }
            @Override protected double compute(AttentionProblem p, Tensor out, Tensor energy) {
                throw new UnsupportedOperationException("not here");
            }
        };
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Summary s = ConformanceRunner.run(tmp, List.of(broken, ref), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(2, s.passed());
        assertEquals(2, s.failed());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("threw UnsupportedOperationException: not here"), out);
        assertTrue(out.strip().endsWith("2 passed, 2 failed"), out);
    }

    private static String line(Run r, String caseName) {
        return r.lines().stream().filter(l -> l.substring(6).startsWith(caseName + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(caseName + " not in " + r.lines()));
    }

    /** A test_attention_4d case with a model of our making: Q, K, V -> Y plus the given attributes. */
    private static void writeModel(Path dir, ProtoWriter... attributes) throws IOException {
        copyCase("test_attention_4d", dir);
        Files.write(dir.resolve("model.onnx"), ProtoWriter.model(
                ProtoWriter.node("Attention", new String[] {"Q", "K", "V"}, new String[] {"Y"}, attributes),
                new String[] {"Q", "K", "V"}, new String[] {"Y"}));
        assertFalse(Files.exists(dir.resolve("model.onnx.bak")));
    }

    private static void copyCase(String name, Path to) throws IOException {
        Path from = CASES.resolve(name);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dst);
                else Files.copy(p, dst);
            }
        }
    }
}
