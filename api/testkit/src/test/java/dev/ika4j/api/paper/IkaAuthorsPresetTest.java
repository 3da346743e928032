/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import org.junit.jupiter.api.Test;

/**
 * Section 3, the authors' preset, against their {@code ika_ns} + softmax (kernel.py, MHA.py) written
 * out here independently in float64, loop for einsum: with d_k = sqrt(head_dim) passed where
 * ika_ns expects the head dim, so the norms are divided by 2 sqrt(sqrt(head_dim)).
 */
class IkaAuthorsPresetTest {

    /** Their ika_ns(x1, x2, args, d_k, w1, w2, scale) then energy = log(scores + 1e-5) + norm, softmax, @ V. */
    static double[][][][] authorsEnergy(double[] q, double[] k, double[] w1, double[] w2, int n, int heads, int lq, int lk, int d,
                                        int m, double pNorm) {
        double scale = 2 * Math.PI, dK = Math.sqrt(d);
        double[][][][] energy = new double[n][heads][lq][lk];
        for (int b = 0; b < n; b++)
            for (int h = 0; h < heads; h++) {
                double[][] phi1 = phi(q, w1, w2, b, h, heads, lq, d, m, scale), phi2 = phi(k, w1, w2, b, h, heads, lk, d, m, scale);
                for (int i = 0; i < lq; i++)
                    for (int j = 0; j < lk; j++) {
                        double s = 0;
                        for (int t = 0; t < 2 * m; t++) s += phi1[i][t] * phi2[j][t];
                        s = s / (4.0 * m);
                        s = s * s;
                        double norm = Math.pow(torchNorm(q, ((b * heads + h) * lq + i) * d, d, pNorm), 2)
                                + Math.pow(torchNorm(k, ((b * heads + h) * lk + j) * d, d, pNorm), 2);
                        norm = norm / (2 * Math.sqrt(dK));
                        energy[b][h][i][j] = Math.log(s + 1e-5) + norm;
                    }
            }
        return energy;
    }

    /** torch.cat([cos(x W1 c) + cos(x W2 c), sin(x W1 c) + sin(x W2 c)], -1) for the rows of (b, h). */
    private static double[][] phi(double[] x, double[] w1, double[] w2, int b, int h, int heads, int len, int d, int m, double scale) {
        double[][] out = new double[len][2 * m];
        for (int l = 0; l < len; l++)
            for (int s = 0; s < m; s++) {
                double a1 = 0, a2 = 0;
                for (int r = 0; r < d; r++) {
                    double xv = x[((b * heads + h) * len + l) * d + r];
                    a1 += xv * (w1[(r * heads + h) * m + s] * scale);
                    a2 += xv * (w2[(r * heads + h) * m + s] * scale);
                }
                out[l][s] = Math.cos(a1) + Math.cos(a2);
                out[l][m + s] = Math.sin(a1) + Math.sin(a2);
            }
        return out;
    }

    private static double torchNorm(double[] x, int off, int d, double p) {
        double s = 0;
        for (int r = 0; r < d; r++) s += Math.pow(Math.abs(x[off + r]), p);
        return Math.pow(s, 1 / p);
    }

    static double[][][][] softmaxTimesV(double[][][][] energy, double[] v, int heads, int lk, int dv) {
        int n = energy.length, lq = energy[0][0].length;
        double[][][][] out = new double[n][heads][lq][dv];
        for (int b = 0; b < n; b++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < lq; i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (double e : energy[b][h][i]) max = Math.max(max, e);
                    double[] w = new double[lk];
                    for (int j = 0; j < lk; j++) sum += w[j] = Math.exp(energy[b][h][i][j] - max);
                    for (int j = 0; j < lk; j++)
                        for (int c = 0; c < dv; c++) out[b][h][i][c] += w[j] / sum * v[((b * heads + h) * lk + j) * dv + c];
                }
        return out;
    }

    @Test
    void referenceMatchesTheAuthorsCode() {
        for (int trial = 0; trial < 6; trial++) {
            PaperKernels pk = new PaperKernels(100 + trial);
            RandomInputs r = pk.random();
            int n = r.between(1, 2), heads = r.pick(1, 2, 4), lq = r.pick(1, 5, 13), d = r.pick(1, 4, 7, 16), m = r.pick(1, 3, 16, 32);
            int lk = r.pick(1, 6, 11), dv = r.pick(2, 5);
            double p = r.pick(1.8, 2.0, 2.5, 3.0);
            IkaDirectKernel kernel = pk.direct(d, heads, m, r.pick(0.3, 1.0), IkaOptions.builder().preset(Preset.AUTHORS).p(p).build());
            Tensor q = r.tensor(n, heads, lq, d), k = r.tensor(n, heads, lk, d), v = r.tensor(n, heads, lk, dv);
            AttentionResult res = new ReferenceBackend().attention(q, k, v,
                    AttentionOptions.builder().kernel(kernel).returnEnergy(true).build());
            double[][][][] e = authorsEnergy(PaperTesting.values(q), PaperTesting.values(k), kernel.w1().toArray(), kernel.w2().toArray(),
                    n, heads, lq, lk, d, m, p);
            double[][][][] o = softmaxTimesV(e, PaperTesting.values(v), heads, lk, dv);
            String what = "trial " + trial + " n" + n + " h" + heads + " lq" + lq + " lk" + lk + " d" + d + " M" + m + " p" + p;
            for (int b = 0; b < n; b++)
                for (int h = 0; h < heads; h++)
                    for (int i = 0; i < lq; i++) {
                        for (int j = 0; j < lk; j++) {
                            assertEquals(e[b][h][i][j], res.energy().get(b, h, i, j), 2e-6 * (1 + Math.abs(e[b][h][i][j])), what + " energy");
                        }
                        for (int c = 0; c < dv; c++) assertEquals(o[b][h][i][c], res.output().get(b, h, i, c), 2e-6, what + " output");
                    }
        }
    }

    /** The paper preset differs only in tau = sqrt(d): its energy minus the authors' is the norms' share. */
    @Test
    void paperPresetUsesSqrtD() {
        PaperKernels pk = new PaperKernels(5);
        RandomInputs r = pk.random();
        int d = 9, m = 8;
        IkaDirectKernel authors = pk.direct(d, 1, m, 1.0, IkaOptions.builder().preset(Preset.AUTHORS).p(3).build());
        IkaDirectKernel paper = authors.withOptions(authors.options().toBuilder().preset(Preset.PAPER).build());
        Tensor q = r.tensor(1, 1, 4, d), k = r.tensor(1, 1, 5, d), v = r.tensor(1, 1, 5, 2);
        AttentionOptions o = AttentionOptions.builder().returnEnergy(true).build();
        ReferenceBackend ref = new ReferenceBackend();
        Tensor ea = ref.attention(q, k, v, o.toBuilder().kernel(authors).build()).energy();
        Tensor ep = ref.attention(q, k, v, o.toBuilder().kernel(paper).build()).energy();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++) {
                double norms = Math.pow(torchNorm(PaperTesting.values(q), i * d, d, 3), 2) + Math.pow(torchNorm(PaperTesting.values(k), j * d, d, 3), 2);
                double expected = norms / (2 * Math.sqrt(d)) - norms / (2 * Math.pow(d, 0.25));
                assertEquals(expected, ep.get(0, 0, i, j) - ea.get(0, 0, i, j), 1e-5 * (1 + Math.abs(expected)));
            }
    }
}
