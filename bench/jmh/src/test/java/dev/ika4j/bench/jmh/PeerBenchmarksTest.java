/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ika4j.api.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each benchmark's setup, which checks its own output against the reference, on small odd shapes:
 * the peers compute attention with our semantics (scale, causal alignment, layouts), so the numbers
 * they post are for the same work.
 */
class PeerBenchmarksTest {
    @BeforeAll
    static void primeBriefly() {
        System.setProperty("ika.bench.primeMillis", "50");
    }

    @ParameterizedTest
    @CsvSource({"1x2x37x16,false,1", "2x3x300x24,true,2", "1x1x1x8,true,1"})
    void scalarJavaIsRightOnSmallAndSampledProblems(String shape, boolean causal, int threads) {
        ScalarJavaBenchmark b = new ScalarJavaBenchmark();
        b.shape = shape;
        b.causal = causal;
        b.threads = threads;
        try {
            assertDoesNotThrow(b::setup);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"1x2x37x16,false", "1x2x300x24,true", "2x1x513x8,true"})
    void openBlasGemmsComputeAttention(String shape, boolean causal) {
        assumeTrue(Peers.probe().get(BenchProfile.OPENBLAS).available(), "OpenBLAS natives do not load here");
        OpenBlasBenchmark b = new OpenBlasBenchmark();
        b.shape = shape;
        b.causal = causal;
        b.threads = 1;
        try {
            assertDoesNotThrow(b::setup);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"Attention,1x2x37x16,false", "Attention,2x3x65x24,true", "MultiHeadAttention,1x2x37x16,false",
            "MultiHeadAttention,2x3x65x24,true"})
    void onnxRuntimeModelsComputeAttention(String op, String shape, boolean causal) throws Exception {
        assumeTrue(Peers.probe().get(BenchProfile.ORT).available(), "ONNX Runtime does not load here");
        OnnxRuntimeBenchmark b = new OnnxRuntimeBenchmark();
        b.op = op;
        b.shape = shape;
        b.causal = causal;
        b.threads = 1;
        try {
            assertDoesNotThrow(b::setup);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"reference,standard,1x2x19x8,true", "reference,ika-direct,1x2x19x8,false", "reference,copula,2x2x9x6,false",
            "simd,standard,2x3x70x24,true", "simd,rbf-importance,1x2x33x16,false", "simd,ika-direct,1x3x40x16,true",
            "simd,ika-generator,1x2x33x16,false", "simd,copula,2x3x21x8,false", "simd,ika-direct-linear,1x2x130x16,true"})
    void ourBackendsPassTheSameGate(String backend, String kernel, String shape, boolean causal) {
        assumeTrue(Backends.list().stream().anyMatch(s -> s.name().equals(backend) && s.available()), backend + " is not available");
        AttentionBenchmark b = new AttentionBenchmark();
        b.backend = backend;
        b.kernel = kernel;
        b.shape = shape;
        b.causal = causal;
        b.threads = 1;
        try {
            assertDoesNotThrow(b::setup);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"1x2x1500x16,true", "2x2x1200x8,false"})
    void sampledCheckCatchesAnOffByOneCausalLimit(String shape, boolean causal) {
        Problem p = Problem.create(shape, causal);
        int heads = p.shape.batch() * p.shape.heads(), seq = p.shape.seq(), d = p.shape.dim();
        float[] out = new float[p.shape.elements()], scores = new float[seq];
        ScalarJavaAttention.rows(p.q, p.k, p.v, out, heads, seq, d, p.scale(), causal, 0, 1, scores);
        assertDoesNotThrow(() -> ReferenceCheck.verifyStandard("scalar", p, out));
        // A kernel that lets every query see one key too many (or, non-causal, one too few).
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < seq; i++) {
                int limit = causal ? Math.min(seq, i + 2) : seq - 1;
                ScalarJavaAttention.row(p.q, p.k, p.v, out, h * seq * d, i, limit, d, p.scale(), scores);
            }
        }
        assertThrows(IllegalStateException.class, () -> ReferenceCheck.verifyStandard("off-by-one", p, out));
    }
}
