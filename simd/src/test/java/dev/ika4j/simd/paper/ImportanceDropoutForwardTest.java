/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ImportanceDropout;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.gradtest.RandomProblems;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.PaperKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simd forward of the spectral kernels with importance dropout against the reference: the
 * mask is the same hash on both, so the outputs agree to float32 rounding (masks, causal, GQA,
 * lengths, past caches, long rows across key blocks); and the dropout does change the output.
 */
class ImportanceDropoutForwardTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));

    @AfterAll
    static void close() {
        SIMD.close();
    }

    @ParameterizedTest
    @CsvSource({"0, 9, 5", "0, 70, 17", "1, 33, 8", "2, 20, 6", "0, 300, 9"})
    void matchesTheReference(int kind, int maxSeq, int maxDim) {
        double changed = 0;
        for (long seed = 1; seed <= 8; seed++) {
            AttentionProblem shape = RandomProblems.randomProblem(seed * 5 + kind, AttentionOptions.builder(), maxSeq, maxDim);
            SplittableRandom r = new SplittableRandom(seed);
            IkaOptions o = IkaOptions.builder().preset(Preset.AUTHORS).p(2.5).importanceDropout(ImportanceDropout.training(0.3, seed * 977))
                    .build();
            int m = 2 + 2 * r.nextInt(8);
            AttentionKernel k = switch (kind) {
                case 0 -> PaperKernels.direct(r, shape.dim(), shape.qHeads(), m, o);
                case 1 -> PaperKernels.generatorKernel(r, shape.dim(), shape.qHeads(), m, o);
                default -> PaperKernels.copula(r, shape.batch(), shape.dim(), shape.qHeads(), m, o);
            };
            AttentionProblem p = RandomProblems.randomProblem(seed * 5 + kind, AttentionOptions.builder().kernel(k), maxSeq, maxDim);
            AttentionOptions opts = RandomProblems.optionsOf(p);
            var kk = RandomProblems.slice(p.presentKey(), p.pastSeq(), p.kvSeq());
            var vv = RandomProblems.slice(p.presentValue(), p.pastSeq(), p.kvSeq());
            AttentionResult want = REF.attention(p.q(), kk, vv, opts), got = SIMD.attention(p.q(), kk, vv, opts);
            double vMax = Math.max(1e-30, Compare.maxAbs(want.presentValue()));
            Compare.assertClose("seed " + seed + " " + p.q().shapeString() + " kv " + p.kvSeq() + " " + k.name(), want.output(),
                    got.output(), 1e-4 * vMax);
            AttentionOptions without = opts.toBuilder().kernel(withoutDropout(k)).build();
            float[] a = REF.attention(p.q(), kk, vv, without).output().toArray(), b = want.output().toArray();
            for (int i = 0; i < a.length; i++) changed = Math.max(changed, Math.abs(a[i] - b[i]));
        }
        assertTrue(changed > 1e-3, "the dropout changed no output by more than " + changed + ": the test cannot tell it from none");
    }

    private static AttentionKernel withoutDropout(AttentionKernel k) {
        return switch (k) {
            case dev.ika4j.api.kernel.IkaDirectKernel d -> d.withOptions(d.options().toBuilder().importanceDropout(null).build());
            case dev.ika4j.api.kernel.IkaGeneratorKernel g -> g.withOptions(g.options().toBuilder().importanceDropout(null).build());
            case dev.ika4j.api.kernel.CopulaKernel c -> c.withOptions(c.options().toBuilder().importanceDropout(null).build());
            default -> k;
        };
    }
}
