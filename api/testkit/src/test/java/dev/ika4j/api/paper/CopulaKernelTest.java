/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.internal.plan.Gaussian;
import dev.ika4j.api.internal.plan.PaperMath;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import org.junit.jupiter.api.Test;

/** Sections 4 and 5: generated spectral points, the copula over heads, noise and regulariser. */
class CopulaKernelTest {
    private final ReferenceBackend ref = new ReferenceBackend();

    /** The authors' MIKAN branch of MHA.py with CopulaNet and WNet, written out here for batch 1. */
    @Test
    void authorsPresetMatchesTheirCode() {
        PaperKernels pk = new PaperKernels(21);
        RandomInputs r = pk.random();
        int d = 6, heads = 4, m = 10, lq = 7, lk = 9, dv = 3;
        double p = 3.0;
        NoiseSource noise = pk.copulaNoise(1, d, heads, m);
        CopulaKernel kernel = pk.copulaKernel(d, m, noise, IkaOptions.builder().preset(Preset.AUTHORS).p(p).build());
        Tensor q = r.tensor(1, heads, lq, d), k = r.tensor(1, heads, lk, d), v = r.tensor(1, heads, lk, dv);
        AttentionResult res = ref.attention(q, k, v, AttentionOptions.builder().kernel(kernel).returnEnergy(true).build());

        double[] qv = PaperTesting.values(q), kv = PaperTesting.values(k), eps = noise.fixedNoise().toArray();
        var net = kernel.net();
        double[] w1 = net.w1().toArray(), b1 = net.b1().toArray(), w2 = net.w2().toArray(), b2 = net.b2().toArray();
        double[] w3 = net.w3().toArray(), b3 = net.b3().toArray(), cw = net.c().toArray(), cb = net.cb().toArray();
        double[][] mu = new double[d][heads], logvar = new double[d][heads], t = new double[d][heads];
        for (int h = 0; h < heads; h++) {
            double[] x = new double[2 * d];
            for (int c = 0; c < d; c++) {
                for (int i = 0; i < lq; i++) x[c] += qv[(h * lq + i) * d + c] / lq;
                for (int j = 0; j < lk; j++) x[d + c] += kv[(h * lk + j) * d + c] / lk;
            }
            double[] preZ = new double[d];
            for (int l = 0; l < d; l++) {
                double s = b1[l];
                for (int i = 0; i < 2 * d; i++) s += x[i] * w1[i * d + l];
                preZ[l] = s > 0 ? s : 0.2 * s;
            }
            for (int l = 0; l < d; l++) {
                double sm = b2[l], sv = b3[l], sc = cb[l];
                for (int i = 0; i < d; i++) {
                    sm += preZ[i] * w2[i * d + l];
                    sv += preZ[i] * w3[i * d + l];
                    sc += preZ[i] * cw[i * d + l];
                }
                mu[l][h] = sm;
                logvar[l][h] = sv + Math.log(0.1);
                t[l][h] = Math.tanh(sc);
            }
        }
        // X = einsum('ijk,ijl->ijl', L, eps): each head's noise times the row sum of L.
        double[] z = new double[d * heads * m];
        double ent = 0, kl = 0;
        for (int r2 = 0; r2 < d; r2++)
            for (int h = 0; h < heads; h++) {
                double rowSum = 1;
                for (int kk = 0; kk < h; kk++) rowSum += t[r2][h] * t[r2][kk];
                double std = Math.exp(logvar[r2][h]);
                for (int s = 0; s < m; s++) {
                    int o = (r2 * heads + h) * m + s;
                    double x = Math.max(-2, Math.min(2, rowSum * eps[o]));
                    double u = Gaussian.cdf(x);
                    ent -= u * Math.log(u + 1e-5);
                    // Normal(+-mu, var).icdf(Phi(x)) = +-mu + var * x: their var is a standard deviation.
                    z[o] = (s < m / 2 ? mu[r2][h] : -mu[r2][h]) + std * x;
                }
                // kl_divergence(Normal(mu, exp(logvar)), Normal(0, prior_var)), torch's closed form
                double varRatio = Math.pow(std / 0.1, 2), t1 = Math.pow(mu[r2][h] / 0.1, 2);
                kl += 0.5 * (varRatio + t1 - 1 - Math.log(varRatio));
            }
        assertEquals(0.1 * kl + 1.0 * ent, res.regularizer(), 1e-10 * (1 + Math.abs(res.regularizer())), "KLD");

        double[] gw1 = PaperMath.generate(kernel.g1(), z, 1, heads * m), gw2 = PaperMath.generate(kernel.g2(), z, 1, heads * m);
        double[][][][] e = IkaAuthorsPresetTest.authorsEnergy(qv, kv, gw1, gw2, 1, heads, lq, lk, d, m, p);
        double[][][][] o = IkaAuthorsPresetTest.softmaxTimesV(e, PaperTesting.values(v), heads, lk, dv);
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < lq; i++) {
                for (int j = 0; j < lk; j++) {
                    assertEquals(e[0][h][i][j], res.energy().get(0, h, i, j), 1e-5 * (1 + Math.abs(e[0][h][i][j])), "energy");
                }
                for (int c = 0; c < dv; c++) assertEquals(o[0][h][i][c], res.output().get(0, h, i, c), 1e-5, "output");
            }
    }

    /** Paper preset: x = clamp(L eps) mixes heads, z = +-mu + exp(logvar / 2) x, and u in [Phi(-2), Phi(2)]. */
    @Test
    void paperPresetCouplesHeadsThroughL() {
        PaperKernels pk = new PaperKernels(22);
        RandomInputs r = pk.random();
        int batch = 2, d = 3, heads = 5, m = 6;
        NoiseSource noise = pk.copulaNoise(batch, d, heads, m);
        CopulaKernel kernel = pk.copulaKernel(d, m, noise, IkaOptions.DEFAULT);
        Tensor q = r.tensor(batch, heads, 4, d), k = r.tensor(batch, 1, 5, d), v = r.tensor(batch, 1, 5, 2);
        PaperPlan plan = PaperPlan.of(AttentionProblem.of(q, k, v, AttentionOptions.builder().kernel(kernel).build()));
        PaperMath.CopulaParams cp = plan.copula;
        double[] eps = noise.fixedNoise().toArray();
        double entropy = 0, kl = 0;
        for (int b = 0; b < batch; b++)
            for (int rr = 0; rr < d; rr++) {
                double[][] l = PaperMath.lowerFactor(cp, b, rr);
                for (int h = 0; h < heads; h++) {
                    int idx = cp.index(b, rr, h);
                    double var = Math.exp(cp.logvar()[idx]);
                    kl += 0.5 * (Math.log(0.1 / var) + (var + cp.mu()[idx] * cp.mu()[idx]) / 0.1 - 1);
                    for (int s = 0; s < m; s++) {
                        double x = 0;
                        for (int kk = 0; kk <= h; kk++) x += l[h][kk] * eps[((b * d + rr) * heads + kk) * m + s];
                        x = Math.max(-2, Math.min(2, x));
                        int o = ((b * d + rr) * heads + h) * m + s;
                        assertEquals(x, plan.copulaSample.x()[o], 1e-15);
                        double u = plan.copulaSample.u()[o];
                        assertTrue(u >= Gaussian.cdf(-2) && u <= Gaussian.cdf(2) && u > 0 && u < 1, "u in (0, 1)");
                        entropy -= u * Math.log(u);
                        double mean = s < m / 2 ? cp.mu()[idx] : -cp.mu()[idx];
                        assertEquals(mean + Math.sqrt(var) * x, plan.copulaSample.z()[o], 1e-12 * (1 + Math.abs(mean) + Math.abs(x)));
                    }
                }
            }
        assertEquals(0.1 * kl + entropy, plan.regularizer, 1e-10 * Math.abs(plan.regularizer));
    }

    /**
     * The paper preset's x across heads has the correlation of L L^T (after the clamp, which the
     * expected value below integrates over); the authors' preset does not mix heads at all.
     */
    @Test
    void crossHeadCorrelationFollowsL() {
        PaperKernels pk = new PaperKernels(23);
        RandomInputs r = pk.random();
        int d = 2, heads = 3, m = 6000;
        NoiseSource noise = NoiseSource.seeded(99, NoiseSource.Mode.INFERENCE);
        CopulaKernel base = pk.copulaKernel(d, m, noise, IkaOptions.DEFAULT);
        // A large bias on t = tanh(C^T h + cb) makes |t| near 1, so the heads are strongly coupled.
        var net = base.net();
        double[] bias = new double[d];
        java.util.Arrays.fill(bias, 1.5);
        CopulaKernel kernel = new CopulaKernel(new dev.ika4j.api.kernel.CopulaNet(net.w1(), net.b1(), net.w2(), net.b2(), net.w3(),
                net.b3(), net.c(), ParamTensor.of(bias, d)), base.g1(), base.g2(), m, noise, IkaOptions.DEFAULT);
        Tensor q = r.tensor(1, heads, 3, d), k = r.tensor(1, heads, 3, d), v = r.tensor(1, heads, 3, 1);
        AttentionProblem prob = AttentionProblem.of(q, k, v, AttentionOptions.builder().kernel(kernel).build());
        PaperPlan paper = PaperPlan.of(prob);
        PaperPlan authors = PaperPlan.of(AttentionProblem.of(q, k, v, AttentionOptions.builder()
                .kernel(kernel.withOptions(IkaOptions.builder().preset(Preset.AUTHORS).build())).build()));
        double strongest = 0;
        for (int rr = 0; rr < d; rr++) {
            double[][] l = PaperMath.lowerFactor(paper.copula, 0, rr);
            for (int h = 1; h < heads; h++)
                for (int g = 0; g < h; g++) {
                    double expected = clampedCorrelation(l, h, g);
                    strongest = Math.max(strongest, Math.abs(expected));
                    double got = sampleCorrelation(paper.copulaSample.x(), rr, h, g, heads, m);
                    assertEquals(expected, got, 0.05, "paper preset, r=" + rr + " heads " + h + "," + g);
                    double none = sampleCorrelation(authors.copulaSample.x(), rr, h, g, heads, m);
                    assertEquals(0.0, none, 0.05, "authors' preset keeps heads independent");
                }
        }
        assertTrue(strongest > 0.2, "the test needs coupled heads; strongest expected correlation " + strongest);
    }

    private static double sampleCorrelation(double[] x, int r, int h, int g, int heads, int m) {
        double sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
        for (int s = 0; s < m; s++) {
            mx += x[(r * heads + h) * m + s] / m;
            my += x[(r * heads + g) * m + s] / m;
        }
        for (int s = 0; s < m; s++) {
            double a = x[(r * heads + h) * m + s] - mx, b = x[(r * heads + g) * m + s] - my;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** corr(clamp(X_h), clamp(X_g)) for X = L eps, by integrating over the two-dimensional normal on a grid. */
    private static double clampedCorrelation(double[][] l, int h, int g) {
        double vh = 0, vg = 0, cov = 0;
        for (int k = 0; k < l.length; k++) {
            vh += l[h][k] * l[h][k];
            vg += l[g][k] * l[g][k];
            cov += l[h][k] * l[g][k];
        }
        double sh = Math.sqrt(vh), sg = Math.sqrt(vg), rho = cov / (sh * sg);
        int n = 600;
        double lim = 7, step = 2 * lim / n, exy = 0, exx = 0, eyy = 0, mass = 0;
        for (int i = 0; i < n; i++) {
            double a = -lim + (i + 0.5) * step;
            for (int j = 0; j < n; j++) {
                double b = -lim + (j + 0.5) * step;
                double w = Math.exp(-(a * a - 2 * rho * a * b + b * b) / (2 * (1 - rho * rho)));
                double x = Math.max(-2, Math.min(2, sh * a)), y = Math.max(-2, Math.min(2, sg * b));
                exy += w * x * y;
                exx += w * x * x;
                eyy += w * y * y;
                mass += w;
            }
        }
        return (exy / mass) / Math.sqrt((exx / mass) * (eyy / mass));
    }

    @Test
    void seededDrawsRepeat() {
        PaperKernels pk = new PaperKernels(24);
        RandomInputs r = pk.random();
        int d = 4, heads = 2, m = 6;
        Tensor q = r.tensor(1, heads, 5, d), k = r.tensor(1, heads, 5, d), v = r.tensor(1, heads, 5, 3);
        IkaGeneratorKernel training = pk.generatorKernel(d, heads, m, NoiseSource.seeded(7, NoiseSource.Mode.TRAINING), IkaOptions.DEFAULT);
        IkaGeneratorKernel again = training.withNoise(NoiseSource.seeded(7, NoiseSource.Mode.TRAINING));
        AttentionOptions o = AttentionOptions.builder().kernel(training).build(), o2 = AttentionOptions.builder().kernel(again).build();
        float[] first = ref.attention(q, k, v, o).output().toArray(), second = ref.attention(q, k, v, o).output().toArray();
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second), "training mode draws afresh per call");
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(ref.attention(q, k, v, o2).output().toArray()),
                "the same seed repeats the same sequence of draws");
        assertEquals(java.util.Arrays.toString(second), java.util.Arrays.toString(ref.attention(q, k, v, o2).output().toArray()));
        assertEquals(2, training.noise().drawsTaken());
        // Draw n can be recomputed, e.g. for a backward pass.
        ParamTensor n1 = training.noise().draw(1, d, heads, m);
        IkaGeneratorKernel fixed = training.withNoise(NoiseSource.fixed(n1));
        assertEquals(java.util.Arrays.toString(second),
                java.util.Arrays.toString(ref.attention(q, k, v, AttentionOptions.builder().kernel(fixed).build()).output().toArray()));

        IkaGeneratorKernel inference = training.withNoise(NoiseSource.seeded(7, NoiseSource.Mode.INFERENCE));
        AttentionOptions oi = AttentionOptions.builder().kernel(inference).build();
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(ref.attention(q, k, v, oi).output().toArray()),
                "inference mode uses draw 0, every call");
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(ref.attention(q, k, v, oi).output().toArray()));
        // The draws are standard normal.
        double[] z = NoiseSource.seeded(3, NoiseSource.Mode.INFERENCE).draw(0, 20000).toArray();
        double mean = 0, var = 0;
        for (double x : z) mean += x / z.length;
        for (double x : z) var += (x - mean) * (x - mean) / z.length;
        assertEquals(0, mean, 0.03);
        assertEquals(1, var, 0.04);
    }
}
