package dev.ika4j.bench.train;

/**
 * The three matrix products a dense layer needs, on flat row-major float64 arrays, written as
 * axpy loops over contiguous rows so that the JIT vectorises them.
 */
final class Dense {
    private Dense() {}

    /** C[n][m] += A[n][k] * B[k][m]. */
    static void mulAdd(double[] a, double[] b, double[] c, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int co = i * m;
            for (int t = 0; t < k; t++) {
                double s = a[i * k + t];
                if (s == 0) continue;
                int bo = t * m;
                for (int j = 0; j < m; j++) c[co + j] += s * b[bo + j];
            }
        }
    }

    /** C[k][m] += A[n][k]^T * B[n][m]. */
    static void mulAddTransA(double[] a, double[] b, double[] c, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int bo = i * m;
            for (int t = 0; t < k; t++) {
                double s = a[i * k + t];
                if (s == 0) continue;
                int co = t * m;
                for (int j = 0; j < m; j++) c[co + j] += s * b[bo + j];
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
