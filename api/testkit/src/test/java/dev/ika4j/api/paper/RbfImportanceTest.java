/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.KernelFactors;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.testkit.Compare;
import dev.ika4j.testkit.RandomInputs;
import dev.ika4j.testkit.Scenario;
import org.junit.jupiter.api.Test;

/** Sections 1 and 2: the kernel-times-importance form and its L^p importance, on the reference. */
class RbfImportanceTest {
    private final ReferenceBackend ref = new ReferenceBackend();

    @Test
    void standardFormEqualsStandardAttention() {
        for (Scenario s : PaperTesting.scenarios(40)) {
            Scenario.Inputs in = s.inputs();
            AttentionOptions o = in.options().toBuilder().returnEnergy(true).build();
            AttentionResult std = ref.attention(in.q(), in.k(), in.v(), o);
            AttentionResult rbf = ref.attention(in.q(), in.k(), in.v(), o.toBuilder().kernel(RbfImportanceKernel.standardForm()).build());
            double vMax = Math.max(1e-30, Compare.maxAbs(in.v()));
            Compare.assertClose(s + ": output", std.output(), rbf.output(), 4e-6 * vMax);
            Compare.assertClose(s + ": energy", std.energy(), rbf.energy(), 1e-5 * (1 + Compare.maxAbs(std.energy())));
        }
    }

    /** logKernel + I(q) + I(k), softmaxed over the visible keys and applied to V, is the call's output. */
    @Test
    void factorsMultiplyBackToTheAttention() {
        for (Scenario s : PaperTesting.scenarios(30)) {
            Scenario.Inputs in = s.inputs();
            AttentionOptions o = in.options().toBuilder().returnEnergy(true).kernel(RbfImportanceKernel.standardForm()).build();
            AttentionResult std = ref.attention(in.q(), in.k(), in.v(), o.toBuilder().kernel(RbfImportanceKernel.standardForm()).build());
            KernelFactors f = KernelFactors.of(in.q(), in.k(), o);
            Tensor v = std.presentValue();
            int group = in.q().heads() / in.k().heads();
            Tensor rebuilt = Tensor.zerosBhsd(std.output().batch(), std.output().heads(), std.output().seq(), std.output().dim());
            for (int b = 0; b < rebuilt.batch(); b++)
                for (int h = 0; h < rebuilt.heads(); h++)
                    for (int i = 0; i < rebuilt.seq(); i++) {
                        int total = v.seq();
                        double[] w = new double[total];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < total; j++) {
                            float e = std.energy().get(b, h, i, j);
                            if (e == Float.NEGATIVE_INFINITY) {
                                w[j] = Double.NEGATIVE_INFINITY;
                                continue;
                            }
                            // The energy carries the mask's additive bias on top of the factors.
                            double bias = o.mask() == null ? 0 : dev.ika4j.api.spi.MaskRows.of(o.mask()).bias(b, h, i, j);
                            double logit = (double) f.logKernel().get(b, h, i, j) + f.queryImportance().get(b, h, i, 0)
                                    + f.keyImportance().get(b, h / group, j, 0) + bias;
                            assertEquals(e, logit, 2e-5 * (1 + Math.abs(e)), s + ": energy vs factors");
                            w[j] = logit;
                            max = Math.max(max, w[j]);
                        }
                        if (max == Double.NEGATIVE_INFINITY) continue;
                        double sum = 0;
                        for (int j = 0; j < total; j++) sum += w[j] = Math.exp(w[j] - max);
                        for (int c = 0; c < v.dim(); c++) {
                            double acc = 0;
                            for (int j = 0; j < total; j++) acc += w[j] * v.get(b, h / group, j, c);
                            rebuilt.set(b, h, i, c, (float) (acc / sum));
                        }
                    }
            Compare.assertClose(s + ": rebuilt from factors", std.output(), rebuilt, 4e-6 * Math.max(1e-30, Compare.maxAbs(v)));
        }
    }

    /** Without a mask the factors multiply back exactly: kappa e^{I(q)} e^{I(k)} = e^{q.k / sqrt(d)}. */
    @Test
    void kernelTimesImportancesIsTheExponentiatedDotProduct() {
        RandomInputs r = new RandomInputs(7);
        int d = 8;
        Tensor q = r.tensor(1, 2, 5, d), k = r.tensor(1, 2, 6, d);
        KernelFactors f = KernelFactors.of(q, k, AttentionOptions.builder().kernel(RbfImportanceKernel.standardForm()).build());
        Tensor kappa = f.kernel(), wq = f.queryWeight(), wk = f.keyWeight();
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 6; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += (double) q.get(0, h, i, c) * k.get(0, h, j, c);
                    double expected = Math.exp(dot / Math.sqrt(d));
                    double got = (double) kappa.get(0, h, i, j) * wq.get(0, h, i, 0) * wk.get(0, h, j, 0);
                    assertEquals(expected, got, 1e-5 * expected, "kappa e^Iq e^Ik at " + h + "," + i + "," + j);
                    assertTrue(kappa.get(0, h, i, j) <= 1f && kappa.get(0, h, i, j) > 0f, "an RBF kernel lies in (0, 1]");
                }
    }

    /** Section 2: the L^p importance, against the formula written out here. */
    @Test
    void lpImportanceMatchesTheFormula() {
        for (double p : new double[] {1.8, 2.5, 3.0, 0.7, Double.POSITIVE_INFINITY}) {
            for (Double tau : new Double[] {null, 1.3}) {
                RandomInputs r = new RandomInputs(Double.hashCode(p) + (tau == null ? 0 : 1));
                int d = r.pick(1, 5, 16), lq = r.pick(1, 4, 9), lk = r.pick(1, 7, 12);
                Tensor q = r.tensor(2, 2, lq, d), k = r.tensor(2, 1, lk, d), v = r.tensor(2, 1, lk, 3);
                AttentionResult res = ref.attention(q, k, v, AttentionOptions.builder().causal(true).returnEnergy(true)
                        .kernel(new RbfImportanceKernel(p, tau)).build());
                double t = tau == null ? Math.sqrt(d) : tau;
                for (int b = 0; b < 2; b++)
                    for (int h = 0; h < 2; h++)
                        for (int i = 0; i < lq; i++)
                            for (int j = 0; j < lk; j++) {
                                float e = res.energy().get(b, h, i, j);
                                if (j > i) {
                                    assertEquals(Float.NEGATIVE_INFINITY, e, "causal");
                                    continue;
                                }
                                double dist = 0;
                                for (int c = 0; c < d; c++) {
                                    double diff = q.get(b, h, i, c) - k.get(b, 0, j, c);
                                    dist += diff * diff;
                                }
                                double expected = -dist / (2 * t) + norm(q, b, h, i, p) / (2 * t) + norm(k, b, 0, j, p) / (2 * t);
                                assertEquals(expected, e, 1e-5 * (1 + Math.abs(expected)), "p=" + p + " tau=" + tau);
                            }
            }
        }
    }

    private static double norm(Tensor t, int b, int h, int i, double p) {
        double s = 0, max = 0;
        for (int c = 0; c < t.dim(); c++) {
            double a = Math.abs(t.get(b, h, i, c));
            s += Math.pow(a, p);
            max = Math.max(max, a);
        }
        double n = p == Double.POSITIVE_INFINITY ? max : Math.pow(s, 1 / p);
        return n * n;
    }
}
