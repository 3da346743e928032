package dev.ika4j.simd.grad;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The three products of the spectral backward for a block of four query rows at once, so that
 * every vector of the transposed key features loaded from memory feeds four FMAs:
 * G = Phi_q Phi_k^T, dPhi_q = dG Phi_k and dPhi_k^T += Phi_q^T dG (row blocks of 4, features
 * [rows][f] for queries, [f][np] for keys).
 */
final class RowBlock {
    static final int ROWS = 4;

    private RowBlock() {}

    /** g[r * np + j] = sum_t a[(i0 + r) * f + t] * bT[t * np + j] for r < 4. */
    static void products(float[] a, int i0, int f, float[] bT, int np, float[] g) {
        int a0 = i0 * f, a1 = a0 + f, a2 = a1 + f, a3 = a2 + f;
        for (int j = 0; j < np; j += Rows.LANES) {
            FloatVector s0 = FloatVector.zero(Rows.S), s1 = s0, s2 = s0, s3 = s0;
            for (int t = 0; t < f; t++) {
                FloatVector k = FloatVector.fromArray(Rows.S, bT, t * np + j);
                s0 = k.fma(FloatVector.broadcast(Rows.S, a[a0 + t]), s0);
                s1 = k.fma(FloatVector.broadcast(Rows.S, a[a1 + t]), s1);
                s2 = k.fma(FloatVector.broadcast(Rows.S, a[a2 + t]), s2);
                s3 = k.fma(FloatVector.broadcast(Rows.S, a[a3 + t]), s3);
            }
            s0.intoArray(g, j);
            s1.intoArray(g, np + j);
            s2.intoArray(g, 2 * np + j);
            s3.intoArray(g, 3 * np + j);
        }
    }

    /** out[(i0 + r) * f + t] = sum_j dg[r * np + j] * bT[t * np + j] for r < 4. */
    static void dots(float[] dg, float[] bT, int np, int f, float[] out, int i0) {
        int o = i0 * f;
        for (int t = 0; t < f; t++) {
            FloatVector s0 = FloatVector.zero(Rows.S), s1 = s0, s2 = s0, s3 = s0;
            int bo = t * np;
            for (int j = 0; j < np; j += Rows.LANES) {
                FloatVector k = FloatVector.fromArray(Rows.S, bT, bo + j);
                s0 = FloatVector.fromArray(Rows.S, dg, j).fma(k, s0);
                s1 = FloatVector.fromArray(Rows.S, dg, np + j).fma(k, s1);
                s2 = FloatVector.fromArray(Rows.S, dg, 2 * np + j).fma(k, s2);
                s3 = FloatVector.fromArray(Rows.S, dg, 3 * np + j).fma(k, s3);
            }
            out[o + t] = s0.reduceLanes(VectorOperators.ADD);
            out[o + f + t] = s1.reduceLanes(VectorOperators.ADD);
            out[o + 2 * f + t] = s2.reduceLanes(VectorOperators.ADD);
            out[o + 3 * f + t] = s3.reduceLanes(VectorOperators.ADD);
        }
    }

    /** cT[t * np + j] += sum_r a[(i0 + r) * f + t] * dg[r * np + j]. */
    static void update(float[] a, int i0, int f, float[] dg, int np, float[] cT) {
        int a0 = i0 * f, a1 = a0 + f, a2 = a1 + f, a3 = a2 + f;
        for (int j = 0; j < np; j += Rows.LANES) {
            FloatVector g0 = FloatVector.fromArray(Rows.S, dg, j), g1 = FloatVector.fromArray(Rows.S, dg, np + j);
            FloatVector g2 = FloatVector.fromArray(Rows.S, dg, 2 * np + j), g3 = FloatVector.fromArray(Rows.S, dg, 3 * np + j);
            for (int t = 0; t < f; t++) {
                int c = t * np + j;
                FloatVector s = FloatVector.fromArray(Rows.S, cT, c);
                s = g0.fma(FloatVector.broadcast(Rows.S, a[a0 + t]), s);
                s = g1.fma(FloatVector.broadcast(Rows.S, a[a1 + t]), s);
                s = g2.fma(FloatVector.broadcast(Rows.S, a[a2 + t]), s);
                s = g3.fma(FloatVector.broadcast(Rows.S, a[a3 + t]), s);
                s.intoArray(cT, c);
            }
        }
    }
}
