/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.internal.plan.Gaussian;
import dev.ika4j.api.internal.plan.PaperMath;
import dev.ika4j.testkit.PaperKernels;
import dev.ika4j.testkit.RandomInputs;
import org.junit.jupiter.api.Test;

/** The float64 building blocks: the normal distribution, norms, psi, the generator, the linear form. */
class PaperMathTest {

    @Test
    void normalCdfMatchesKnownValues() {
        // Phi at 1, 1.96, -2, -5, -10, from 0.5 erfc(-x / sqrt 2) of a correctly rounded libm.
        double[][] known = {{1, 0.8413447460685429}, {1.96, 0.9750021048517795}, {-2, 0.02275013194817922},
                {-5, 2.866515718791946e-07}, {-10, 7.619853024160593e-24}};
        assertEquals(0.5, Gaussian.cdf(0), 0);
        for (double[] k : known) assertEquals(k[1], Gaussian.cdf(k[0]), 1e-14 * k[1], "Phi(" + k[0] + ")");
        assertEquals(1.0, Gaussian.cdf(40), 0);
        assertEquals(0.0, Gaussian.cdf(-40), 1e-300);
    }

    @Test
    void quantileInvertsTheCdf() {
        for (double x = -8; x <= 8; x += 0.173) {
            double back = Gaussian.quantile(Gaussian.cdf(x));
            // u carries an absolute rounding of ulp(u), which moves the inverse by ulp(u) / pdf(x).
            double u = Gaussian.cdf(x), tol = 4 * Math.ulp(u) / Gaussian.pdf(x) + 1e-13 * (1 + Math.abs(x));
            assertEquals(x, back, tol, "quantile(cdf(" + x + "))");
        }
        assertEquals(Double.NEGATIVE_INFINITY, Gaussian.quantile(0));
        assertEquals(Double.POSITIVE_INFINITY, Gaussian.quantile(1));
        assertTrue(Double.isNaN(Gaussian.quantile(1.5)));
        assertEquals(1.959963984540054, Gaussian.quantile(0.975), 1e-14);
    }

    @Test
    void lpNormNeverOverflowsWhereTheResultIsFinite() {
        double[] x = {1e150, -3e149, 2e150, 5e149};
        for (double p : new double[] {1.8, 2, 3, 7}) {
            double n2 = PaperMath.lpNormSquared(x, 0, 4, p);
            double scaled = PaperMath.lpNormSquared(new double[] {1, -0.3, 2, 0.5}, 0, 4, p) * 1e300;
            assertEquals(scaled, n2, 1e-12 * scaled, "p=" + p);
        }
        assertEquals(4.0, PaperMath.lpNormSquared(new double[] {1, -2, 0.5}, 0, 3, Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, PaperMath.lpNormSquared(new double[] {0, 0}, 0, 2, 3), 0);
    }

    @Test
    void psiLinearisesTheSquaredKernel() {
        RandomInputs r = new RandomInputs(3);
        for (int m : new int[] {1, 2, 5, 16}) {
            double[] a = new double[2 * m], b = new double[2 * m];
            for (int t = 0; t < 2 * m; t++) {
                a[t] = r.gaussian();
                b[t] = r.gaussian();
            }
            double[] pa = new double[PaperMath.psiSize(m)], pb = new double[pa.length];
            PaperMath.psi(a, 0, m, pa, 0);
            PaperMath.psi(b, 0, m, pb, 0);
            double dot = 0;
            for (int t = 0; t < pa.length; t++) dot += pa[t] * pb[t];
            double kappa = PaperMath.spectralKernel(a, 0, b, 0, m);
            assertEquals(kappa, dot, 1e-13 * (1 + kappa), "M=" + m);
        }
    }

    /** The generator against their WNet written out: einsum('bijk,il->bljk') is a per-column matrix product. */
    @Test
    void generatorMatchesWNet() {
        PaperKernels pk = new PaperKernels(8);
        int d = 5, heads = 3, m = 4, n1 = 6, n2 = 7;
        SpectralGenerator g = pk.generator(d, n1, n2, 1.0);
        double[] z = pk.gaussian(d, heads, m).toArray();
        double[] out = PaperMath.generate(g, z, 1, heads * m);
        double[] w1 = g.w1().toArray(), b1 = g.b1().toArray(), w2 = g.w2().toArray(), b2 = g.b2().toArray(),
                w3 = g.w3().toArray(), b3 = g.b3().toArray();
        for (int h = 0; h < heads; h++)
            for (int s = 0; s < m; s++) {
                double[] h1 = new double[n1], h2 = new double[n2];
                for (int l = 0; l < n1; l++) {
                    double acc = b1[l];
                    for (int i = 0; i < d; i++) acc += Math.abs(z[(i * heads + h) * m + s]) * w1[i * n1 + l];
                    h1[l] = acc > 0 ? acc : 0.2 * acc;
                }
                for (int l = 0; l < n2; l++) {
                    double acc = b2[l];
                    for (int i = 0; i < n1; i++) acc += h1[i] * w2[i * n2 + l];
                    h2[l] = acc > 0 ? acc : 0.2 * acc;
                }
                for (int l = 0; l < d; l++) {
                    double acc = b3[l];
                    for (int i = 0; i < n2; i++) acc += h2[i] * w3[i * d + l];
                    double zz = z[(l * heads + h) * m + s];
                    assertEquals(Math.signum(zz) * acc, out[(l * heads + h) * m + s], 1e-14);
                }
            }
    }

    /** Section 6 in float64 equals the quadratic form to rounding, causal or not, under large norms too. */
    @Test
    void linearFormEqualsQuadraticForm() {
        RandomInputs r = new RandomInputs(11);
        for (int trial = 0; trial < 12; trial++) {
            int m = r.pick(1, 3, 8), lq = r.pick(1, 6, 19), lk = r.pick(1, 5, 23), dv = r.pick(1, 4);
            double eps = r.pick(0.0, 1e-5, 0.1), impScale = r.pick(1.0, 50.0, 2000.0);
            double[] phiQ = new double[lq * 2 * m], phiK = new double[lk * 2 * m], ik = new double[lk], v = new double[lk * dv];
            for (int t = 0; t < phiQ.length; t++) phiQ[t] = r.gaussian();
            for (int t = 0; t < phiK.length; t++) phiK[t] = r.gaussian();
            for (int j = 0; j < lk; j++) ik[j] = impScale * Math.abs(r.gaussian());
            for (int t = 0; t < v.length; t++) v[t] = r.gaussian();
            boolean causal = r.chance(0.5);
            int[] limits = new int[lq];
            for (int i = 0; i < lq; i++) limits[i] = causal ? Math.min(lk, Math.max(0, i + lk - lq + (trial % 3) - 1)) : lk;
            double[] lin = PaperMath.linearAttention(phiQ, phiK, ik, v, lq, lk, m, dv, eps, limits);
            for (int i = 0; i < lq; i++) {
                double max = Double.NEGATIVE_INFINITY;
                double[] logit = new double[limits[i]];
                for (int j = 0; j < limits[i]; j++) {
                    double kappa = PaperMath.spectralKernel(phiQ, i * 2 * m, phiK, j * 2 * m, m);
                    logit[j] = PaperMath.ikaLogit(kappa, eps, 0, ik[j]);
                    max = Math.max(max, logit[j]);
                }
                double sum = 0;
                double[] acc = new double[dv];
                for (int j = 0; j < limits[i]; j++) {
                    double w = Math.exp(logit[j] - max);
                    if (logit[j] == Double.NEGATIVE_INFINITY) w = 0;
                    sum += w;
                    for (int c = 0; c < dv; c++) acc[c] += w * v[j * dv + c];
                }
                for (int c = 0; c < dv; c++) {
                    double expected = sum > 0 ? acc[c] / sum : 0;
                    assertEquals(expected, lin[i * dv + c], 1e-10, "trial " + trial + " row " + i + " limit " + limits[i]);
                    assertTrue(Double.isFinite(lin[i * dv + c]));
                }
            }
        }
    }
}
