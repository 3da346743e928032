/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
 * Peer: OpenBLAS SGEMM doing attention's FLOPs, the practical GEMM ceiling of this machine. Per
 * head and per block of {@link #BLOCK} query rows: S = scale * Q_blk K^T, then O_blk = S V. Causal
 * blocks multiply only the keys up to their last row, as a BLAS-based implementation would.
 *
 * <p>The timed call runs the two GEMMs only, no softmax: it is the bound a fused kernel is held
 * against, not an attention implementation. Setup runs the same GEMMs with the softmax between
 * them and checks that result against the reference, which proves the GEMMs timed are the products
 * attention needs (right operands, transposes and causal extents).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpenBlasBenchmark {
    /** Query rows per GEMM pair: S_blk (BLOCK x seq floats) stays in L2/L3 instead of a full L x L. */
    static final int BLOCK = 256;

    @Param({"1x8x1024x64"})
    public String shape;

    @Param({"false"})
    public boolean causal;

    /** OpenBLAS threads. */
    @Param({"1"})
    public int threads;

    private Problem p;
    private FloatPointer q, k, v, out, scores;

    @Setup(Level.Trial)
    public void setup() {
        openblas_nolapack.blas_set_num_threads(threads);
        p = Problem.create(shape, causal);
        q = new FloatPointer(p.q);
        k = new FloatPointer(p.k);
        v = new FloatPointer(p.v);
        out = new FloatPointer((long) p.shape.elements());
        scores = new FloatPointer((long) BLOCK * p.shape.seq());
        compute(true);
        float[] result = new float[p.shape.elements()];
        out.get(result);
        ReferenceCheck.verifyStandard("openblas-sgemm", p, result);
    }

    @Benchmark
    public void attention() {
        compute(false);
    }

    private void compute(boolean softmax) {
        int seq = p.shape.seq(), d = p.shape.dim();
        int heads = p.shape.batch() * p.shape.heads();
        float scale = p.scale();
        for (int bh = 0; bh < heads; bh++) {
            long base = (long) bh * seq * d;
            FloatPointer kh = k.getPointer(base), vh = v.getPointer(base);
            for (int i0 = 0; i0 < seq; i0 += BLOCK) {
                int rows = Math.min(BLOCK, seq - i0);
                int keys = causal ? i0 + rows : seq;
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, keys, d, scale,
                        q.getPointer(base + (long) i0 * d), d, kh, d, 0f, scores, keys);
                if (softmax) softmaxRows(rows, keys, i0);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, d, keys, 1f,
                        scores, keys, vh, d, 0f, out.getPointer(base + (long) i0 * d), d);
            }
        }
    }

    /** Row-wise softmax of the block's scores, keys past a causal row's own position set to 0. */
    private void softmaxRows(int rows, int keys, int i0) {
        FloatBuffer s = scores.asBuffer();
        for (int r = 0; r < rows; r++) {
            int limit = causal ? i0 + r + 1 : keys, at = r * keys;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < limit; j++) max = Math.max(max, s.get(at + j));
            double sum = 0;
            for (int j = 0; j < limit; j++) sum += Math.exp(s.get(at + j) - max);
            for (int j = 0; j < keys; j++) {
                s.put(at + j, j < limit ? (float) (Math.exp(s.get(at + j) - max) / sum) : 0f);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (FloatPointer f : new FloatPointer[] {q, k, v, out, scores}) {
            if (f != null) f.close();
        }
    }
}
