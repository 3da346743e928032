/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.ika4j.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer: ONNX Runtime's CPU execution provider running a one-node model built in code
 * ({@link OnnxAttentionModel}). Two operators:
 * <ul>
 *   <li>{@code Attention}: the standard ONNX Attention of opset 23, inputs [b, h, s, d];
 *   <li>{@code MultiHeadAttention}: ONNX Runtime's own contrib operator (com.microsoft), inputs
 *       packed [b, s, h*d], which has its own CPU kernels.
 * </ul>
 * Inputs are created once; the output is bound once (pinned), so each call is the session's run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 1)
public class OnnxRuntimeBenchmark {
    public static final String ATTENTION = "Attention", MHA = "MultiHeadAttention";

    @Param({ATTENTION})
    public String op;

    @Param({"1x8x1024x64"})
    public String shape;

    @Param({"false"})
    public boolean causal;

    /** ONNX Runtime intra-op threads (inter-op 1: the graph is one node). */
    @Param({"1"})
    public int threads;

    private OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    private Map<String, OnnxTensor> pinned;
    private OnnxTensor output;
    private FloatBuffer outBuffer;

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        Problem p = Problem.create(shape, causal);
        Shape s = p.shape;
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        boolean mha = switch (op) {
            case ATTENTION -> false;
            case MHA -> true;
            default -> throw new IllegalArgumentException("op must be " + ATTENTION + " or " + MHA + ", got '" + op + "'");
        };
        byte[] model = mha
                ? OnnxAttentionModel.contribMultiHeadAttention(s.batch(), s.heads(), s.seq(), s.kvSeq(), s.dim(), causal)
                : OnnxAttentionModel.opset23Attention(s.batch(), s.heads(), s.kvHeads(), s.seq(), s.kvSeq(), s.dim(), causal);
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, so);
        }
        long[] dims = mha ? new long[] {s.batch(), s.seq(), (long) s.heads() * s.dim()}
                : new long[] {s.batch(), s.heads(), s.seq(), s.dim()};
        long[] kvDims = mha ? new long[] {s.batch(), s.kvSeq(), (long) s.heads() * s.dim()}
                : new long[] {s.batch(), s.kvHeads(), s.kvSeq(), s.dim()};
        String[] names = mha ? new String[] {"query", "key", "value"} : new String[] {"Q", "K", "V"};
        inputs.put(names[0], OnnxTensor.createTensor(env, direct(mha ? packed(p, p.q) : p.q), dims));
        // MultiHeadAttention has no grouped heads: each kv head is repeated for its q heads, as a
        // user of that operator would have to.
        inputs.put(names[1], OnnxTensor.createTensor(env, direct(mha ? packedKv(p, p.k) : p.k), kvDims));
        inputs.put(names[2], OnnxTensor.createTensor(env, direct(mha ? packedKv(p, p.v) : p.v), kvDims));
        outBuffer = direct(new float[s.elements()]);
        output = OnnxTensor.createTensor(env, outBuffer, dims);
        pinned = Map.of(mha ? "output" : "Y", output);

        attention();
        float[] raw = new float[s.elements()];
        outBuffer.get(0, raw);
        float[] result = mha ? Tensor.bshd(raw, s.batch(), s.seq(), s.heads(), s.dim()).toArray() : raw;
        ReferenceCheck.verifyStandard("onnxruntime " + op, p, result);
    }

    @Benchmark
    public void attention() throws OrtException {
        // Pinned outputs belong to the caller; closing the result does not free them.
        try (OrtSession.Result r = session.run(inputs, pinned)) {
            if (r.size() != 1) throw new IllegalStateException("expected one output, got " + r.size());
        }
    }

    /** [b, h, s, d] to ONNX's packed [b, s, h*d]. */
    private static float[] packed(Problem p, float[] bhsd) {
        Shape s = p.shape;
        float[] out = new float[bhsd.length];
        Tensor view = Tensor.bshd(out, s.batch(), s.seq(), s.heads(), s.dim());
        for (int b = 0; b < s.batch(); b++)
            for (int h = 0; h < s.heads(); h++)
                for (int i = 0; i < s.seq(); i++) view.writeRow(b, h, i, bhsd, p.offset(b, h, i));
        return out;
    }

    /** K or V [b, kv_heads, kv_seq, d] to the packed [b, kv_seq, h*d] with every q head's copy. */
    private static float[] packedKv(Problem p, float[] bhsd) {
        Shape s = p.shape;
        float[] out = new float[s.batch() * s.kvSeq() * s.heads() * s.dim()];
        Tensor view = Tensor.bshd(out, s.batch(), s.kvSeq(), s.heads(), s.dim());
        for (int b = 0; b < s.batch(); b++)
            for (int h = 0; h < s.heads(); h++)
                for (int j = 0; j < s.kvSeq(); j++) view.writeRow(b, h, j, bhsd, p.kvOffset(b, h / s.group(), j));
        return out;
    }

    private static FloatBuffer direct(float[] a) {
        FloatBuffer f = ByteBuffer.allocateDirect(a.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        f.put(0, a);
        return f;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        for (OnnxTensor t : inputs.values()) t.close();
        if (output != null) output.close();
        if (session != null) session.close();
    }
}
