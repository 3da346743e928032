/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.api.BackendConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float32 attention operators the reproduction trains with (a backend's forward, or the simd
 * training path's recorded forward, and its backward) against the float64 operator the gradient
 * checks use: same noise, same parameters, so outputs and gradients agree to float rounding.
 */
class AttentionOpAgreementTest {

    static double[] random(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian();
        return a;
    }

    @ParameterizedTest
    @CsvSource({"reference, STANDARD", "reference, IKA_DIRECT", "simd, STANDARD", "simd, IKA_DIRECT", "simd, MIKAN", "simd, GENERATOR"})
    void float32OperatorsAgreeWithFloat64(String backendName, RegressionExperiment.Variant variant) {
        int seq = 37, heads = 4, dim = RegressionExperiment.WIDTH / heads, width = heads * dim;
        RegressionExperiment.Setting s = new RegressionExperiment.Setting("housing", variant, heads, 2.5);
        try (AttentionBackend backend = Backends.open(backendName, BackendConfig.defaults().withThreads(1))) {
            KernelSpec a = RegressionExperiment.kernel(s, new SplittableRandom(3)), b = RegressionExperiment.kernel(s, new SplittableRandom(3));
            AttentionOp f64 = new Float64AttentionOp(a, new SplittableRandom(9));
            AttentionOp f32 = new BackendAttentionOp(backend.training(), b, new SplittableRandom(9));
            SplittableRandom r = new SplittableRandom(5);
            double[] q = random(r, seq * width), k = random(r, seq * width), v = random(r, seq * width), dOut = random(r, seq * width);
            double[] want = f64.forward(q, k, v, seq, heads, dim, true), got = f32.forward(q, k, v, seq, heads, dim, true);
            close("output", want, got, seq);
            assertEquals(f64.regularizer(), f32.regularizer(), 1e-5 * (1 + Math.abs(f64.regularizer())));
            double[][] gw = f64.backward(dOut, 0.25), gg = f32.backward(dOut, 0.25);
            close("dQ", gw[0], gg[0], seq);
            close("dK", gw[1], gg[1], seq);
            close("dV", gw[2], gg[2], seq);
            List<Param> pa = a.parameters(), pb = b.parameters();
            for (int i = 0; i < pa.size(); i++) close(pa.get(i).name, pa.get(i).grad, pb.get(i).grad, seq * seq);
        }
    }

    static void close(String what, double[] want, double[] got, int terms) {
        double max = 0;
        for (double x : want) max = Math.max(max, Math.abs(x));
        double tol = 2e-5 * Math.sqrt(terms) * Math.max(max, 1e-6);
        for (int i = 0; i < want.length; i++) {
            int at = i;
            assertTrue(Math.abs(want[i] - got[i]) <= tol, () -> what + "[" + at + "]: float64 " + want[at] + ", float32 " + got[at]);
        }
    }
}
