/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.reference.KernelFactors;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.simd.SimdBackend;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.PaperKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of issue 15: with one spectral point at phase 1.6e9 the simd energy was 68.4 (its
 * maximum is about 1.00001) and NaN from 1.7e9; the copula kernel at 700x the usual |q|, |k| gave
 * NaN everywhere. The spectral kernels must agree with the reference up to phases of 1e12 and more.
 */
class LargePhaseTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));

    @AfterAll
    static void close() {
        SIMD.close();
    }

    private static void assertAgrees(String what, Tensor q, Tensor k, Tensor v, AttentionKernel kernel) {
        AttentionOptions o = AttentionOptions.builder().kernel(kernel).returnEnergy(true).build();
        AttentionResult want = REF.attention(q, k, v, o), got = SIMD.attention(q, k, v, o);
        for (float x : want.output().toArray()) assertTrue(Float.isFinite(x), what + ": the reference is finite");
        Compare.assertClose(what + ": output", want.output(), got.output(), 1e-4 * Compare.maxAbs(v));
        Tensor logK = KernelFactors.of(q, k, o).logKernel();
        Tensor we = want.energy(), ge = got.energy();
        for (int i = 0; i < we.seq(); i++) {
            for (int j = 0; j < we.dim(); j++) {
                // log(kappa + eps) amplifies float32 rounding of the features by 2 / sqrt(kappa + eps)
                double tol = 1e-4 * (1 + Math.abs(we.get(0, 0, i, j))) + 4e-7 / Math.sqrt(Math.exp(logK.get(0, 0, i, j)));
                assertEquals(we.get(0, 0, i, j), ge.get(0, 0, i, j), tol, what + ": energy " + i + "," + j);
            }
        }
    }

    @Test
    void oneSpectralPointAtHugePhases() {
        SplittableRandom rnd = new SplittableRandom(41);
        int n = 12;
        float[] qa = new float[3], ka = new float[n];
        for (int i = 0; i < qa.length; i++) qa[i] = (float) rnd.nextDouble(0.5, 1);
        for (int j = 0; j < n; j++) ka[j] = (float) rnd.nextDouble(0.5, 1);
        Tensor q = Tensor.bhsd(qa, 1, 1, qa.length, 1), k = Tensor.bhsd(ka, 1, 1, n, 1);
        Tensor v = Tensor.bhsd(new float[n * 2], 1, 1, n, 2);
        for (int j = 0; j < n * 2; j++) v.set(0, 0, j / 2, j % 2, (float) rnd.nextDouble(-1, 1));
        for (double phase : new double[] {1e12, 1e3, 1e8, 1.6e9, 1.7e9, 1e10, 1e12, 3e13}) {
            IkaDirectKernel kernel = new IkaDirectKernel(ParamTensor.of(new double[] {phase}, 1, 1, 1),
                    ParamTensor.of(new double[] {phase / 3}, 1, 1, 1), IkaOptions.builder().frequencyScale(1).build());
            assertAgrees("phase " + phase, q, k, v, kernel);
        }
    }

    @Test
    void copulaWithLargeQueriesAndKeys() {
        PaperKernels pk = new PaperKernels(42);
        int d = 8, m = 6, n = 8;
        AttentionKernel kernel = pk.copulaKernel(d, m, pk.copulaNoise(1, d, 2, m), IkaOptions.DEFAULT);
        for (double gain : new double[] {1, 300, 700, 3000}) {
            SplittableRandom rnd = new SplittableRandom(43);
            Tensor q = Tensor.bhsd(new float[2 * 6 * d], 1, 2, 6, d), k = Tensor.bhsd(new float[2 * n * d], 1, 2, n, d);
            float[] qa = q.array(), ka = k.array();
            for (int i = 0; i < qa.length; i++) qa[i] = (float) (gain * rnd.nextDouble(-1, 1));
            for (int i = 0; i < ka.length; i++) ka[i] = (float) (gain * rnd.nextDouble(-1, 1));
            Tensor v = Tensor.bhsd(new float[2 * n * 3], 1, 2, n, 3);
            float[] va = v.array();
            for (int i = 0; i < va.length; i++) va[i] = (float) rnd.nextDouble(-1, 1);
            assertAgrees("copula x" + gain, q, k, v, kernel);
        }
    }
}
