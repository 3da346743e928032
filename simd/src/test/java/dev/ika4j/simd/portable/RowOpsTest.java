/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ika4j.simd.internal.FmaSupport;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The portable row updates against float64 loops over odd lengths, each loop run long enough
 * for C2 to compile (and vectorise) it, so the compiled form is what is checked.
 */
class RowOpsTest {
    private static final int CALLS = 3000;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 15, 16, 17, 31, 64, 97, 128, 257})
    void axpy4x4BothCopiesMatchFloat64(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[][] x = rows(rnd, 4, n);
        float[] a = row(rnd, 16);
        for (int copy = 0; copy < 2; copy++) {
            float[][] s = rows(rnd, 4, n);
            double[][] want = new double[4][n];
            for (int r = 0; r < 4; r++) for (int j = 0; j < n; j++) want[r][j] = s[r][j];
            for (int call = 0; call < CALLS; call++) {
                float[][] got = new float[4][];
                for (int r = 0; r < 4; r++) got[r] = s[r].clone();
                if (copy == 0) {
                    RowOps.axpy4x4(x[0], x[1], x[2], x[3], n, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                            a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], got[0], got[1], got[2], got[3]);
                } else {
                    RowOps.axpy4x4v(x[0], x[1], x[2], x[3], n, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                            a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], got[0], got[1], got[2], got[3]);
                }
                if (call == CALLS - 1) {
                    for (int r = 0; r < 4; r++) {
                        for (int j = 0; j < n; j++) {
                            double w = want[r][j];
                            for (int c = 0; c < 4; c++) w += (double) a[4 * r + c] * x[c][j];
                            assertEquals(w, got[r][j], 1e-5 * (1 + Math.abs(w)), "copy " + copy + " row " + r + " j " + j);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 16, 33, 129})
    void axpy4AndAxpyMatchFloat64(int n) {
        SplittableRandom rnd = new SplittableRandom(31 * n);
        float[] x = row(rnd, n);
        float[] s = row(rnd, n), t = row(rnd, n);
        float a0 = 0.7f, a1 = -1.3f, a2 = 0.25f, a3 = 2f;
        for (int call = 0; call < CALLS; call++) {
            float[] s0 = s.clone(), s1 = s.clone(), s2 = s.clone(), s3 = s.clone(), u = t.clone();
            RowOps.axpy4(x, n, a0, a1, a2, a3, s0, s1, s2, s3);
            RowOps.axpy(x, n, -0.5f, u);
            if (call == CALLS - 1) {
                for (int j = 0; j < n; j++) {
                    assertEquals(s[j] + (double) a0 * x[j], s0[j], 1e-6 * (1 + Math.abs(s0[j])));
                    assertEquals(s[j] + (double) a3 * x[j], s3[j], 1e-6 * (1 + Math.abs(s3[j])));
                    assertEquals(t[j] - 0.5 * x[j], u[j], 1e-6 * (1 + Math.abs(u[j])));
                }
            }
        }
    }

    @Test
    void fusedFollowsTheJvmsFmaFlagUnlessSet() {
        String setting = FmaSupport.setting();
        boolean expected = switch (setting) {
            case "true" -> true;
            case "false" -> false;
            default -> FmaSupport.vmUsesFma() == FmaSupport.VmFma.YES
                    || (FmaSupport.vmUsesFma() == FmaSupport.VmFma.UNKNOWN && System.getProperty("os.arch").equals("aarch64"));
        };
        assertEquals(expected, RowOps.FUSED, "ika.simd.fma=" + setting + ", UseFMA " + FmaSupport.vmUsesFma());
    }

    private static float[][] rows(SplittableRandom rnd, int m, int n) {
        float[][] x = new float[m][];
        for (int r = 0; r < m; r++) x[r] = row(rnd, n);
        return x;
    }

    private static float[] row(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
