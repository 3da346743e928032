/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.internal.plan.KernelParameters;
import dev.ika4j.api.internal.plan.SpectralPoints;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.VectorMath;
import java.util.Arrays;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The backward of the linear-time mode (section 6) in time and memory linear in the sequence.
 * The forward ({@code LinearSpectralAttention}) writes the weight of key j for query i as
 * w_ij = psi(q_i) . psi(k_j) e^{I(k_j)} with psi = [vec(phi phi^T) / (4M)^2, eps or 1] (F = M (2M + 1) + 1
 * features) and out_i = psi(q_i)^T S_i / psi(q_i)^T z_i. With u_i = [dO_i, -dO_i . out_i] / den_i
 * (v' = [v, 1], so that z is the last column of S) the gradient is
 *
 * <pre>
 *   dpsi(q_i) = S_i u_i                                     (pass A, keys in order, S as in the forward)
 *   R_j = sum over queries i that see j of psi(q_i) u_i^T   (pass B, keys in reverse)
 *   dv_j = e_j (R_j^T psi(k_j))[:d_v],  dpsi(k_j) = e_j R_j v'_j,  dI(k_j) = e_j psi(k_j) . R_j v'_j
 * </pre>
 *
 * and no [q_seq, kv_seq] array is formed. As in the forward, keys go a chunk of {@link #CHUNK} at a
 * time; a query whose key limit ends inside a chunk takes the chunk's visible keys directly (pass A
 * does their whole gradient) and the earlier chunks through S; one whose limit is a chunk's end
 * takes all its keys through S. Pass B's R holds only the queries that see the key's chunk through S. Scales: S is relative to the largest I(k) folded so far,
 * each query's u_i to the largest I among its own keys (top_i), R to the smallest top_i it holds;
 * for a key j seen through R, I(k_j) is at most that, so no exponential overflows.
 *
 * <p>dpsi goes to dphi through psi's products, then {@link SpectralBackward.Head} takes dphi to
 * dQ, dK and the spectral parameters exactly as the quadratic backward does. The query importance
 * passes nothing (every row of dLogit sums to zero; the mode refuses importance dropout).
 */
final class LinearSpectralBackward {
    /** Keys per chunk and queries per block; a multiple of 4. */
    static final int CHUNK = 64;

    private LinearSpectralBackward() {}

    /**
     * Returns {dq, dk, dv} flat BHSD (dk, dv over the present keys) and adds the parameter gradients
     * to {@code grads}; {@code out} is the forward's output, or null to recompute it here.
     */
    static float[][] backward(AttentionProblem p, Tensor out, Tensor dOut, double dReg, Map<String, double[]> grads) {
        double[] q64 = SpectralBackward.widen(p.q()), k64 = SpectralBackward.widen(p.presentKey());
        SpectralPoints sp = SpectralPoints.of(p, KernelParameters.of(p.kernel()), q64, k64);
        sp.zeroGradients().forEach(grads::put);
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), dv = p.vDim();
        float[] dq = new float[q64.length], dk = new float[k64.length], dvv = new float[p.batch() * p.kvHeads() * n * dv];
        double[] dW1 = new double[sp.w1.length], dW2 = new double[sp.w2.length];
        SpectralBackward.Head hd = new SpectralBackward.Head(p, sp, np);
        Work w = new Work(p, sp.samples, (float) sp.eps);
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.qHeads(); h++) {
                hd.load(q64, k64, b, h);
                w.run(hd, b, h, out, dOut, dvv);
                hd.backward(q64, k64, b, h, dq, dk, dW1, dW2);
            }
        }
        double[] dq64 = new double[q64.length], dk64 = new double[k64.length];
        sp.backward(dW1, dW2, dReg, grads, dq64, dk64);
        for (int i = 0; i < dq.length; i++) dq[i] += (float) dq64[i];
        for (int i = 0; i < dk.length; i++) dk[i] += (float) dk64[i];
        return new float[][] {dq, dk, dvv};
    }

    /** The buffers of one (batch, query head) pass, reused across heads. */
    private static final class Work {
        final AttentionProblem p;
        final int m, width, features, fp, st, dv, n;
        final float eps, inv4M;
        /** S^T and R^T, [st][fp]: row c is column c of S (c = dv: z). */
        final float[] sT, rT;
        /** psi of a block's rows and its gradient, [CHUNK][fp]; the coefficients of a product. */
        final float[] psi, dpsi, coef, coefT, small;
        /** Per query: u_i [st] relative to top_i; per key: v' [st], phi [2M]; scaled query features. */
        final float[] u, top, vP, phiK, qs, dqs, dphi, row, oRow;
        final int[] groupStart;
        /** One feature row padded to whole vectors (zeros past width), and its gradient. */
        final float[] xs, dxs;
        final int wp;
        /** One query's in-chunk keys: g, e^{I - top}, the weight, dO . v. */
        final float[] gk = new float[CHUNK], ek = new float[CHUNK], kern = new float[CHUNK], dov = new float[CHUNK];

        Work(AttentionProblem p, int m, float eps) {
            this.p = p;
            this.m = m;
            this.width = 2 * m;
            this.features = m * (2 * m + 1) + 1;
            this.fp = Rows.padded(features);
            this.dv = p.vDim();
            int q = Math.max(Rows.LANES, 4);
            this.st = (dv + 1 + q - 1) / q * q;
            this.n = p.kvSeq();
            this.eps = eps;
            this.inv4M = (float) (1.0 / (4.0 * m));
            long size = (long) Math.max(st, CHUNK) * fp;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the linear-time backward needs M (2M + 1) x max(v_dim + 1, " + CHUNK + ") = "
                        + size + " floats per head, too many for M = " + m + "; use the quadratic form");
            }
            sT = new float[st * fp];
            rT = new float[st * fp];
            psi = new float[CHUNK * fp];
            dpsi = new float[CHUNK * fp];
            coef = new float[CHUNK * st];
            coefT = new float[st * CHUNK];
            small = new float[CHUNK * st];
            u = new float[p.qSeq() * st];
            top = new float[p.qSeq()];
            vP = new float[n * st];
            phiK = new float[n * width];
            qs = new float[p.qSeq() * width];
            dqs = new float[p.qSeq() * width];
            dphi = new float[n * width];
            row = new float[Math.max(dv, 1)];
            oRow = new float[Math.max(dv, 1)];
            groupStart = new int[(n + CHUNK - 1) / CHUNK + 2];
            wp = Rows.padded(width);
            xs = new float[wp];
            dxs = new float[wp];
        }

        void run(SpectralBackward.Head hd, int b, int h, Tensor out, Tensor dOut, float[] dvv) {
            int kh = p.kvHead(h), np = hd.np, qSeq = p.qSeq();
            for (int i = 0; i < qSeq; i++)
                for (int a = 0; a < width; a++) qs[i * width + a] = hd.phiQ[i * width + a] * inv4M;
            for (int j = 0; j < n; j++) {
                for (int a = 0; a < width; a++) phiK[j * width + a] = hd.phiKT[a * np + j];
                p.presentValue().readRow(b, kh, j, vP, j * st);
                vP[j * st + dv] = 1f;
                for (int c = dv + 1; c < st; c++) vP[j * st + c] = 0f;
            }
            Arrays.fill(u, 0f);
            Arrays.fill(dqs, 0f);
            Arrays.fill(dphi, 0f);
            int dvo = (b * p.kvHeads() + kh) * n * dv;
            int chunks = passA(hd, b, h, out, dOut, dvv, dvo);
            passB(hd, chunks, dvv, dvo);
            for (int i = 0; i < qSeq; i++)
                for (int a = 0; a < width; a++) hd.dPhiQ[i * width + a] += dqs[i * width + a] * inv4M;
            for (int j = 0; j < n; j++)
                for (int a = 0; a < width; a++) hd.dPhiKT[a * np + j] += dphi[j * width + a];
        }

        /**
         * Keys in order: per chunk, the queries whose limit ends in it (their u_i, their in-chunk
         * gradients, dpsi(q_i) = S u_i), then the chunk folded into S. Returns the number of chunks;
         * groupStart[c] is the first query of chunk c's group (groupStart[chunks] its end).
         */
        private int passA(SpectralBackward.Head hd, int b, int h, Tensor out, Tensor dOut, float[] dvv, int dvo) {
            int qSeq = p.qSeq();
            Arrays.fill(sT, 0f);
            float ref = Float.NEGATIVE_INFINITY;
            int qi = 0;
            while (qi < qSeq && p.keyLimit(b, qi) == 0) qi++;
            int needed = qSeq == 0 ? 0 : p.keyLimit(b, qSeq - 1), c = 0;
            for (int j0 = 0; qi < qSeq; j0 += CHUNK, c++) {
                // chunk c's group: limits in [j0, j0 + CHUNK), so a limit at a chunk's end reads that
                // chunk through S (non-causal attention: every query through S, none key by key)
                int j1 = Math.min(j0 + CHUNK, needed);
                int qEnd = qi;
                while (qEnd < qSeq && p.keyLimit(b, qEnd) < j0 + CHUNK) qEnd++;
                groupStart[c] = qi;
                for (int g = qi; g < qEnd; g += CHUNK) {
                    int nq = Math.min(CHUNK, qEnd - g), rows = (nq + 3) / 4 * 4;
                    boolean inter = ref != Float.NEGATIVE_INFINITY;
                    if (inter) psiRows(qs, g, nq, rows, 2f, eps);
                    if (out == null && inter) PanelProducts.dots(psi, rows, sT, st, fp, small);
                    Arrays.fill(coef, 0f);
                    for (int r = 0; r < nq; r++) {
                        int i = g + r, limit = p.keyLimit(b, i);
                        float scaleInter = query(hd, b, h, i, j0, limit, ref, inter, r, out, dOut, dvv, dvo);
                        for (int cc = 0; cc < st; cc++) coef[r * st + cc] = u[i * st + cc] * scaleInter;
                    }
                    if (inter) {
                        Arrays.fill(dpsi, 0, rows * fp, 0f);
                        PanelProducts.addProduct(coef, rows, st, sT, fp, dpsi);
                        for (int r = 0; r < nq; r++) psiBack(dpsi, r * fp, qs, (g + r) * width, 2f, dqs, (g + r) * width);
                    }
                }
                qi = qEnd;
                if (qi < qSeq) ref = fold(hd, j0, j1, ref);
            }
            groupStart[c] = qi;
            return c;
        }

        /**
         * Query i: its denominator (and output when none was recorded), u_i and top_i, and the
         * whole gradient of its in-chunk keys [j0, limit). Returns e^{ref - top_i}, the factor of
         * its earlier keys' share.
         */
        private float query(SpectralBackward.Head hd, int b, int h, int i, int j0, int limit, float ref, boolean inter, int r,
                            Tensor out, Tensor dOut, float[] dvv, int dvo) {
            float mIntra = Float.NEGATIVE_INFINITY;
            for (int j = j0; j < limit; j++) mIntra = Math.max(mIntra, (float) hd.kImp[j]);
            float t = Math.max(ref, mIntra);
            top[i] = t;
            float scaleInter = inter ? (float) Math.exp(ref - t) : 0f;
            int qo = i * width;
            float den = inter ? scaleInter * Rows.dot(psi, r * fp, sT, dv * fp, fp) : 0f;
            if (out == null) for (int c = 0; c < dv; c++) oRow[c] = inter ? scaleInter * small[r * st + c] : 0f;
            dOut.readRow(b, h, i, row, 0);
            int nk = limit - j0;
            for (int jj = 0; jj < nk; jj++) {
                int j = j0 + jj;
                float g = VectorMath.dot(qs, qo, phiK, j * width, width), e = (float) Math.exp(hd.kImp[j] - t);
                gk[jj] = g;
                ek[jj] = e;
                kern[jj] = (g * g + eps) * e;
                dov[jj] = VectorMath.dot(row, 0, vP, j * st, dv);
                den += kern[jj];
                if (out == null) VectorMath.axpy(kern[jj], vP, j * st, oRow, 0, dv);
            }
            int uo = i * st;
            if (!(den > 0) || Float.isInfinite(den)) {
                Arrays.fill(u, uo, uo + st, 0f);
                return 0f;
            }
            float dd = 0;
            if (!inter) {
                // every visible key is in this chunk: D_i = sum_j P_ij dO_i . v_j with P_ij = w_ij / den_i,
                // so that a row that sees one key (P = 1 exactly) passes exactly nothing, as in the quadratic form
                for (int jj = 0; jj < nk; jj++) dd += kern[jj] / den * dov[jj];
            } else {
                if (out == null) for (int c = 0; c < dv; c++) oRow[c] /= den;
                else out.readRow(b, h, i, oRow, 0);
                dd = VectorMath.dot(row, 0, oRow, 0, dv);
            }
            float invDen = 1f / den;
            for (int c = 0; c < dv; c++) u[uo + c] = row[c] / den;
            u[uo + dv] = -dd / den;
            for (int c = dv + 1; c < st; c++) u[uo + c] = 0f;
            for (int jj = 0; jj < nk; jj++) {
                int j = j0 + jj, ko = j * width;
                float dw = (dov[jj] - dd) / den;
                hd.colSum[j] += dw * kern[jj];
                float dg = 2 * gk[jj] * ek[jj] * dw;
                VectorMath.axpy(dg, phiK, ko, dqs, qo, width);
                VectorMath.axpy(dg, qs, qo, dphi, ko, width);
                VectorMath.axpy(kern[jj] * invDen, row, 0, dvv, dvo + j * dv, dv);
            }
            return scaleInter;
        }

        /** S += sum over keys [j0, j1) of e_j psi(k_j) v'_j^T relative to the new reference, which it returns. */
        private float fold(SpectralBackward.Head hd, int j0, int j1, float ref) {
            float t = ref;
            for (int j = j0; j < j1; j++) t = Math.max(t, (float) hd.kImp[j]);
            if (t == Float.NEGATIVE_INFINITY || Float.isNaN(t)) return t;
            if (t > ref && ref != Float.NEGATIVE_INFINITY) scale(sT, (float) Math.exp(ref - t));
            int nk = j1 - j0;
            psiRows(phiK, j0, nk, CHUNK, 1f, 1f);
            Arrays.fill(coefT, 0f);
            for (int jj = 0; jj < nk; jj++) {
                float e = (float) Math.exp(hd.kImp[j0 + jj] - t);
                for (int c = 0; c < st; c++) coefT[c * CHUNK + jj] = e * vP[(j0 + jj) * st + c];
            }
            PanelProducts.addProduct(coefT, st, CHUNK, psi, fp, sT);
            return t;
        }

        /**
         * Keys in reverse: each chunk's keys take their share through R (the queries of later
         * groups), then the chunk's own group joins R.
         */
        private void passB(SpectralBackward.Head hd, int chunks, float[] dvv, int dvo) {
            Arrays.fill(rT, 0f);
            float rs = Float.POSITIVE_INFINITY;
            for (int c = chunks - 1; c >= 0; c--) {
                int j0 = c * CHUNK, j1 = Math.min(j0 + CHUNK, n), nk = j1 - j0;
                if (rs != Float.POSITIVE_INFINITY) keysThroughR(hd, j0, nk, rs, dvv, dvo);
                for (int g = groupStart[c]; g < groupStart[c + 1]; g += CHUNK) {
                    int nq = Math.min(CHUNK, groupStart[c + 1] - g), rows = (nq + 3) / 4 * 4;
                    float lo = Float.POSITIVE_INFINITY;
                    for (int r = 0; r < nq; r++) if (isLive(g + r)) lo = Math.min(lo, top[g + r]);
                    if (lo == Float.POSITIVE_INFINITY) continue;
                    if (lo < rs) {
                        if (rs != Float.POSITIVE_INFINITY) scale(rT, (float) Math.exp(lo - rs));
                        rs = lo;
                    }
                    psiRows(qs, g, nq, rows, 2f, eps);
                    Arrays.fill(coefT, 0f);
                    for (int r = 0; r < nq; r++) {
                        if (!isLive(g + r)) continue;
                        float f = (float) Math.exp(rs - top[g + r]);
                        for (int cc = 0; cc < st; cc++) coefT[cc * CHUNK + r] = f * u[(g + r) * st + cc];
                    }
                    PanelProducts.addProduct(coefT, st, CHUNK, psi, fp, rT);
                }
            }
        }

        /** Whether query i passes a gradient (it saw a key and its denominator was positive). */
        private boolean isLive(int i) {
            for (int c = 0; c <= dv; c++) if (u[i * st + c] != 0f) return true;
            return false;
        }

        /** Keys [j0, j0 + nk): dv, dpsi and the importance's share from R, held relative to rs. */
        private void keysThroughR(SpectralBackward.Head hd, int j0, int nk, float rs, float[] dvv, int dvo) {
            psiRows(phiK, j0, nk, CHUNK, 1f, 1f);
            PanelProducts.dots(psi, CHUNK, rT, st, fp, small);
            Arrays.fill(coef, 0f);
            for (int jj = 0; jj < nk; jj++) {
                int j = j0 + jj;
                float t = (float) Math.exp(hd.kImp[j] - rs);
                if (t == 0f || Float.isNaN(t)) continue;
                float di = 0;
                for (int c = 0; c <= dv; c++) {
                    float x = vP[j * st + c];
                    di += x * small[jj * st + c];
                    coef[jj * st + c] = t * x;
                }
                hd.colSum[j] += t * di;
                for (int c = 0; c < dv; c++) dvv[dvo + j * dv + c] += t * small[jj * st + c];
            }
            Arrays.fill(dpsi, 0f);
            PanelProducts.addProduct(coef, CHUNK, st, rT, fp, dpsi);
            for (int jj = 0; jj < nk; jj++) psiBack(dpsi, jj * fp, phiK, (j0 + jj) * width, 1f, dphi, (j0 + jj) * width);
        }

        /**
         * psi rows [0, count) from feature rows x[(from + r) * width ..]: x_a^2, off x_a x_b for
         * a < b, then {@code last}; rows [count, rows) and the padding are zero. The products of one
         * a are one masked vector store of off x_a x (lanes b > a).
         */
        private void psiRows(float[] x, int from, int count, int rows, float off, float last) {
            for (int r = 0; r < rows; r++) {
                int po = r * fp;
                if (r >= count) {
                    Arrays.fill(psi, po, po + fp, 0f);
                    continue;
                }
                int xo = (from + r) * width, t = po;
                System.arraycopy(x, xo, xs, 0, width);
                for (int a = 0; a < width; a++) {
                    float xa = xs[a];
                    psi[t] = xa * xa;
                    FloatVector oa = FloatVector.broadcast(Rows.S, off * xa);
                    for (int c = 0; c < wp; c += Rows.LANES) {
                        VectorMask<Float> m = Rows.S.indexInRange(c - a - 1, width - a - 1);
                        FloatVector.fromArray(Rows.S, xs, c).mul(oa).intoArray(psi, t - a + c, m);
                    }
                    t += width - a;
                }
                psi[t++] = last;
                Arrays.fill(psi, t, po + fp, 0f);
            }
        }

        /**
         * dx[dxo + a] += d psi / d x_a . y for one row of psi (built with coefficient off): per a
         * one masked load of the products' gradients y_ab (b > a), a dot with x and an axpy into dx.
         */
        private void psiBack(float[] y, int yo, float[] x, int xo, float off, float[] dx, int dxo) {
            System.arraycopy(x, xo, xs, 0, width);
            Arrays.fill(dxs, 0f);
            int t = yo;
            for (int a = 0; a < width; a++) {
                float xa = xs[a];
                FloatVector acc = FloatVector.zero(Rows.S), oa = FloatVector.broadcast(Rows.S, off * xa);
                for (int c = 0; c < wp; c += Rows.LANES) {
                    VectorMask<Float> m = Rows.S.indexInRange(c - a - 1, width - a - 1);
                    FloatVector yv = FloatVector.fromArray(Rows.S, y, t - a + c, m);
                    acc = VectorMath.fma(yv, FloatVector.fromArray(Rows.S, xs, c), acc);
                    VectorMath.fma(yv, oa, FloatVector.fromArray(Rows.S, dxs, c)).intoArray(dxs, c);
                }
                dxs[a] += 2 * y[t] * xa + off * VectorMath.sumLanes(acc);
                t += width - a;
            }
            for (int a = 0; a < width; a++) dx[dxo + a] += dxs[a];
        }

        private static float dot(float[] x, int xo, float[] y, int yo, int len) {
            float s = 0;
            for (int a = 0; a < len; a++) s += x[xo + a] * y[yo + a];
            return s;
        }

        private float dot(float[] x, int xo, float[] y, int yo) {
            return dot(x, xo, y, yo, width);
        }

        private static void scale(float[] x, float f) {
            for (int i = 0; i < x.length; i++) x[i] *= f;
        }
    }
}
