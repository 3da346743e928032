/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products a dense layer needs, on flat row-major float64 arrays: axpy loops over
 * contiguous rows on the Vector API (the JIT does not vectorise these on its own, as it cannot rule
 * out that the arrays alias), with a scalar tail.
 */
final class Dense {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

    private Dense() {}

    /** y[yo ..+n) += a * x[xo ..+n). */
    static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        DoubleVector va = DoubleVector.broadcast(S, a);
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += LANES) {
            DoubleVector.fromArray(S, x, xo + j).fma(va, DoubleVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] += a * x[xo + j];
    }

    /** C[n][m] += A[n][k] * B[k][m]. */
    static void mulAdd(double[] a, double[] b, double[] c, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                double s = a[i * k + t];
                if (s != 0) axpy(s, b, t * m, c, i * m, m);
            }
        }
    }

    /** C[k][m] += A[n][k]^T * B[n][m]. */
    static void mulAddTransA(double[] a, double[] b, double[] c, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                double s = a[i * k + t];
                if (s != 0) axpy(s, b, i * m, c, t * m, m);
            }
        }
    }

    /** B^T of B[r][c], as [c][r]. */
    static double[] transpose(double[] b, int r, int c) {
        double[] t = new double[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) t[j * r + i] = b[i * c + j];
        return t;
    }
}
