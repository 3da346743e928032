/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

/**
 * The standard normal distribution's CDF and quantile in float64, accurate to a few ulps, for the
 * copula kernel (the JDK has neither erf nor its inverse).
 */
public final class Gaussian {
    private Gaussian() {}

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double SQRT_2PI = Math.sqrt(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_PI = 1.0 / Math.sqrt(Math.PI);

    /** Phi(x) = P(N(0,1) &lt;= x); keeps relative accuracy deep in the lower tail. */
    public static double cdf(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        double t = x / SQRT_2;
        return x < 0 ? 0.5 * erfc(-t) : 1.0 - 0.5 * erfc(t);
    }

    /** The standard normal density. */
    public static double pdf(double x) {
        return Math.exp(-0.5 * x * x) / SQRT_2PI;
    }

    /**
     * Phi^-1(u): -infinity at 0, +infinity at 1, NaN outside [0, 1]. Acklam's rational
     * approximation (relative error 1.2e-9), then one Halley step on the accurate CDF (cubic
     * convergence: that leaves only the rounding of u itself).
     */
    public static double quantile(double u) {
        if (!(u >= 0 && u <= 1)) return Double.NaN;
        if (u == 0) return Double.NEGATIVE_INFINITY;
        if (u == 1) return Double.POSITIVE_INFINITY;
        double x = acklam(u);
        // Halley's step for Phi(x) - u = 0, with the error taken on the side where it is small.
        double e = u > 0.5 ? (1.0 - u) - cdfUpper(x) : cdf(x) - u;
        double r = e * SQRT_2PI * Math.exp(0.5 * x * x);
        return Double.isFinite(r) ? x - r / (1 + 0.5 * x * r) : x;
    }

    /** 1 - Phi(x), accurate in the upper tail. */
    private static double cdfUpper(double x) {
        return cdf(-x);
    }

    /** erfc(t) for t >= 0: a power series below 1.5 (where 1 - erf loses little), a continued fraction above. */
    static double erfc(double t) {
        if (t < 0) return 2.0 - erfc(-t);
        if (t < 1.5) return 1.0 - erfSeries(t);
        return erfcContinuedFraction(t);
    }

    /** erf(t) = 2/sqrt(pi) e^{-t^2} sum_n (2 t^2)^n t / (1 3 5 ... (2n+1)): positive terms, no cancellation. */
    private static double erfSeries(double t) {
        double t2 = 2 * t * t;
        double term = t, sum = t;
        for (int n = 1; n < 200; n++) {
            term *= t2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-t * t) * sum;
    }

    /**
     * erfc(t) = e^{-t^2}/sqrt(pi) / (t + (1/2)/(t + 1/(t + (3/2)/(t + 2/(t + ...))))), evaluated by
     * the modified Lentz method.
     */
    private static double erfcContinuedFraction(double t) {
        final double tiny = 1e-300;
        double f = t, c = t, d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n * 0.5;
            d = t + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = t + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return ONE_OVER_SQRT_PI * Math.exp(-t * t) / f;
    }

    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};

    private static double acklam(double u) {
        double low = 0.02425;
        if (u < low) {
            double q = Math.sqrt(-2 * Math.log(u));
            return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        if (u > 1 - low) {
            double q = Math.sqrt(-2 * Math.log1p(-u));
            return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        double q = u - 0.5, r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
}
