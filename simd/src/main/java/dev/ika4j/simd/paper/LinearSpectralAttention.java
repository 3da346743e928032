/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Section 6: the spectral kernel in time linear in the sequence. kappa = (phiQ . phiK)^2 is the
 * inner product of psi = vec(phi phi^T) (M (2M + 1) distinct products), so with one more feature
 * that carries eps (eps on the query side, 1 on the key side) the weight of key j for query i is
 * exactly psi'(q_i) . psi'(k_j) e^{I(k_j)}, and
 *
 * <pre>
 *   out_i = psi'(q_i)^T S / psi'(q_i)^T z,   S = sum_{j < limit_i} e^{I(k_j)} psi'(k_j) v_j^T,  z likewise with 1
 * </pre>
 *
 * z is kept as one more column of S (v' = [v, 1]). Keys are folded into S a chunk of
 * {@link #CHUNK} at a time; the queries whose key limit ends inside a chunk read S as it was before
 * the chunk (all earlier keys) and add the chunk's visible keys directly (a small quadratic part),
 * so causal attention, valid lengths and a past cache cost the same single pass as the non-causal
 * form.
 *
 * <p>S has M (2M + 1) + 1 rows (8257 at M = 64, 2.6 MB at v_dim 64), more than L2 holds, so both
 * products are blocked to touch it rarely: a chunk's fold is one GEMM S += PsiK^T (e V') over the
 * chunk's keys, reading and writing each row of S once per chunk; the queries' S^T psi runs over
 * blocks of {@link #ROW_BLOCK} rows that stay in L2 while every query of the group passes.
 *
 * <p>Numerics: S is kept relative to the largest I(k) folded so far and rescaled when that grows;
 * a query's in-chunk part is relative to the largest I among its own visible keys and the two parts
 * are merged in log-sum-exp fashion, so no exp overflows and no visible key underflows against a
 * key the query cannot see.
 *
 * <p>Parallel over (batch, query head); the pass over the keys is sequential.
 */
final class LinearSpectralAttention {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    /** Keys per fold and queries per group; a multiple of the lanes. */
    static final int CHUNK = Math.max(64, L);
    /** Rows of S per block of the queries' product: 128 rows x 80 floats = 40 KiB. */
    static final int ROW_BLOCK = 128;

    private LinearSpectralAttention() {}

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(SP, v);
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, WorkPool pool) {
        SpectralFeatures f = SpectralFeatures.compute(p, plan, pool, false);
        boolean parallel = WorkPool.shareable(p.q(), p.presentKey(), p.presentValue(), out);
        pool.run(p.batch() * p.qHeads(), parallel, () -> new Head(p, plan),
                (w, task) -> w.run(f, out, task / p.qHeads(), task % p.qHeads()), w -> {});
    }

    /** One worker's state for one (batch, head) pass. */
    private static final class Head {
        final AttentionProblem p;
        final int m, width, features, stride, vDim;
        final float eps;
        /** S [features, stride]; psi of a chunk's keys or a group's queries, feature-major [features, CHUNK]. */
        final float[] sMat, psiT, phiT, ephiT, vChunk, acc, intra, outRow;
        /** The extra feature's row of psiT: eps for queries, e^{I(k) - ref} for keys. */
        final float[] lastRow = new float[CHUNK];

        Head(AttentionProblem p, PaperPlan plan) {
            this.p = p;
            this.m = plan.samples;
            this.width = 2 * m;
            this.features = m * (2 * m + 1) + 1;
            this.vDim = p.vDim();
            this.stride = (vDim + 1 + L - 1) / L * L;
            this.eps = (float) plan.eps;
            long size = (long) features * Math.max(stride, CHUNK);
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("linear-time mode needs M (2M + 1) x max(v_dim + 1, " + CHUNK + ") = " + size
                        + " floats per head, too many for M = " + m + "; use the quadratic form");
            }
            this.sMat = new float[features * stride];
            this.psiT = new float[features * CHUNK];
            this.phiT = new float[width * CHUNK];
            this.ephiT = new float[width * CHUNK];
            this.vChunk = new float[CHUNK * stride];
            this.acc = new float[CHUNK * stride];
            this.intra = new float[stride];
            this.outRow = new float[vDim];
        }

        void run(SpectralFeatures f, Tensor out, int b, int h) {
            int idx = b * p.qHeads() + h, kh = p.kvHead(h);
            float[] phiQ = f.phiQ[idx], phiK = f.phiK[idx], kimp = f.keyImportance[idx];
            Arrays.fill(sMat, 0f);
            float ref = Float.NEGATIVE_INFINITY;
            int qi = 0;
            // Rows that see no key are zeros, as in the quadratic form.
            while (qi < p.qSeq() && p.keyLimit(b, qi) == 0) {
                Arrays.fill(outRow, 0f);
                out.writeRow(b, h, qi++, outRow, 0);
            }
            int needed = p.keyLimit(b, p.qSeq() - 1);
            for (int j0 = 0; j0 < needed && qi < p.qSeq(); j0 += CHUNK) {
                int j1 = Math.min(j0 + CHUNK, needed);
                loadValues(b, kh, j0, j1);
                int qEnd = qi;
                while (qEnd < p.qSeq() && p.keyLimit(b, qEnd) <= j1) qEnd++;
                for (int g = qi; g < qEnd; g += CHUNK) {
                    int n = Math.min(CHUNK, qEnd - g);
                    inter(phiQ, g, n, ref == Float.NEGATIVE_INFINITY);
                    for (int r = 0; r < n; r++) {
                        int i = g + r;
                        finishRow(phiQ, phiK, kimp, i, j0, p.keyLimit(b, i), ref, r);
                        out.writeRow(b, h, i, outRow, 0);
                    }
                }
                qi = qEnd;
                if (qi < p.qSeq()) ref = fold(phiK, kimp, j0, j1, ref);
            }
        }

        /** v' = [v, 1, 0...] of keys [j0, j1) into vChunk. */
        private void loadValues(int b, int kh, int j0, int j1) {
            for (int j = j0; j < j1; j++) {
                int o = (j - j0) * stride;
                p.presentValue().readRow(b, kh, j, vChunk, o);
                vChunk[o + vDim] = 1f;
                for (int c = vDim + 1; c < stride; c++) vChunk[o + c] = 0f;
            }
        }

        /**
         * psiT[t, :] = coef_t x_a x_b over CHUNK columns, for the pairs t = (a <= b), from phi
         * columns xa = ephiT (one factor carrying the per-column weight) and xb = phiT; the last
         * row is {@code last}.
         */
        private void psiRows(float[] xa, float[] xb, float offDiagonal, float[] last) {
            int t = 0;
            for (int a = 0; a < width; a++) {
                for (int bb = a; bb < width; bb++, t++) {
                    float coef = bb == a ? 1f : offDiagonal;
                    for (int c = 0; c < CHUNK; c += L) {
                        FloatVector.fromArray(SP, xa, a * CHUNK + c).mul(FloatVector.fromArray(SP, xb, bb * CHUNK + c)).mul(coef)
                                .intoArray(psiT, t * CHUNK + c);
                    }
                }
            }
            System.arraycopy(last, 0, psiT, t * CHUNK, CHUNK);
        }

        /**
         * acc[r] = psi'(q_{g+r})^T S for r < n, the earlier keys' share relative to the current
         * reference: S is read in blocks of ROW_BLOCK rows, each kept in cache while all the
         * group's queries pass over it, 4 queries x 4 vectors of columns at a time.
         */
        private void inter(float[] phiQ, int g, int n, boolean empty) {
            Arrays.fill(acc, 0f);
            if (empty) return;
            Arrays.fill(phiT, 0f);
            for (int r = 0; r < n; r++)
                for (int a = 0; a < width; a++) phiT[a * CHUNK + r] = phiQ[(g + r) * width + a];
            Arrays.fill(lastRow, 0f);
            Arrays.fill(lastRow, 0, n, eps);
            psiRows(phiT, phiT, 2f, lastRow);
            int quads = (n + 3) / 4;
            for (int t0 = 0; t0 < features; t0 += ROW_BLOCK) {
                int t1 = Math.min(features, t0 + ROW_BLOCK);
                for (int qd = 0; qd < quads; qd++) {
                    int c = 0;
                    for (; c + 4 * L <= stride; c += 4 * L) inter4x4(qd * 4, c, t0, t1);
                    for (; c < stride; c += L) inter4x1(qd * 4, c, t0, t1);
                }
            }
        }

        private void inter4x4(int r0, int c, int t0, int t1) {
            int o0 = r0 * stride + c, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
            FloatVector a00 = FloatVector.fromArray(SP, acc, o0), a01 = FloatVector.fromArray(SP, acc, o0 + L);
            FloatVector a02 = FloatVector.fromArray(SP, acc, o0 + 2 * L), a03 = FloatVector.fromArray(SP, acc, o0 + 3 * L);
            FloatVector a10 = FloatVector.fromArray(SP, acc, o1), a11 = FloatVector.fromArray(SP, acc, o1 + L);
            FloatVector a12 = FloatVector.fromArray(SP, acc, o1 + 2 * L), a13 = FloatVector.fromArray(SP, acc, o1 + 3 * L);
            FloatVector a20 = FloatVector.fromArray(SP, acc, o2), a21 = FloatVector.fromArray(SP, acc, o2 + L);
            FloatVector a22 = FloatVector.fromArray(SP, acc, o2 + 2 * L), a23 = FloatVector.fromArray(SP, acc, o2 + 3 * L);
            FloatVector a30 = FloatVector.fromArray(SP, acc, o3), a31 = FloatVector.fromArray(SP, acc, o3 + L);
            FloatVector a32 = FloatVector.fromArray(SP, acc, o3 + 2 * L), a33 = FloatVector.fromArray(SP, acc, o3 + 3 * L);
            for (int t = t0; t < t1; t++) {
                int so = t * stride + c, po = t * CHUNK + r0;
                FloatVector s0 = FloatVector.fromArray(SP, sMat, so), s1 = FloatVector.fromArray(SP, sMat, so + L);
                FloatVector s2 = FloatVector.fromArray(SP, sMat, so + 2 * L), s3 = FloatVector.fromArray(SP, sMat, so + 3 * L);
                FloatVector w = bc(psiT[po]);
                a00 = VectorMath.fma(s0, w, a00);
                a01 = VectorMath.fma(s1, w, a01);
                a02 = VectorMath.fma(s2, w, a02);
                a03 = VectorMath.fma(s3, w, a03);
                w = bc(psiT[po + 1]);
                a10 = VectorMath.fma(s0, w, a10);
                a11 = VectorMath.fma(s1, w, a11);
                a12 = VectorMath.fma(s2, w, a12);
                a13 = VectorMath.fma(s3, w, a13);
                w = bc(psiT[po + 2]);
                a20 = VectorMath.fma(s0, w, a20);
                a21 = VectorMath.fma(s1, w, a21);
                a22 = VectorMath.fma(s2, w, a22);
                a23 = VectorMath.fma(s3, w, a23);
                w = bc(psiT[po + 3]);
                a30 = VectorMath.fma(s0, w, a30);
                a31 = VectorMath.fma(s1, w, a31);
                a32 = VectorMath.fma(s2, w, a32);
                a33 = VectorMath.fma(s3, w, a33);
            }
            a00.intoArray(acc, o0);
            a01.intoArray(acc, o0 + L);
            a02.intoArray(acc, o0 + 2 * L);
            a03.intoArray(acc, o0 + 3 * L);
            a10.intoArray(acc, o1);
            a11.intoArray(acc, o1 + L);
            a12.intoArray(acc, o1 + 2 * L);
            a13.intoArray(acc, o1 + 3 * L);
            a20.intoArray(acc, o2);
            a21.intoArray(acc, o2 + L);
            a22.intoArray(acc, o2 + 2 * L);
            a23.intoArray(acc, o2 + 3 * L);
            a30.intoArray(acc, o3);
            a31.intoArray(acc, o3 + L);
            a32.intoArray(acc, o3 + 2 * L);
            a33.intoArray(acc, o3 + 3 * L);
        }

        private void inter4x1(int r0, int c, int t0, int t1) {
            int o0 = r0 * stride + c, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
            FloatVector a0 = FloatVector.fromArray(SP, acc, o0), a1 = FloatVector.fromArray(SP, acc, o1);
            FloatVector a2 = FloatVector.fromArray(SP, acc, o2), a3 = FloatVector.fromArray(SP, acc, o3);
            for (int t = t0; t < t1; t++) {
                FloatVector s = FloatVector.fromArray(SP, sMat, t * stride + c);
                int po = t * CHUNK + r0;
                a0 = VectorMath.fma(s, bc(psiT[po]), a0);
                a1 = VectorMath.fma(s, bc(psiT[po + 1]), a1);
                a2 = VectorMath.fma(s, bc(psiT[po + 2]), a2);
                a3 = VectorMath.fma(s, bc(psiT[po + 3]), a3);
            }
            a0.intoArray(acc, o0);
            a1.intoArray(acc, o1);
            a2.intoArray(acc, o2);
            a3.intoArray(acc, o3);
        }

        /** Adds query i's visible keys of the chunk to its share of S, merges, divides, writes outRow. */
        private void finishRow(float[] phiQ, float[] phiK, float[] kimp, int i, int j0, int limit, float ref, int r) {
            float mIntra = Float.NEGATIVE_INFINITY;
            for (int j = j0; j < limit; j++) if (kimp[j] > mIntra) mIntra = kimp[j];
            float top = Math.max(ref, mIntra);
            Arrays.fill(intra, 0f);
            if (limit > j0 && !Float.isNaN(mIntra)) {
                for (int j = j0; j < limit; j++) {
                    float dot = VectorMath.dot(phiQ, i * width, phiK, j * width, width);
                    float w = (dot * dot + eps) * (float) Math.exp(kimp[j] - top);
                    VectorMath.axpy(w, vChunk, (j - j0) * stride, intra, 0, stride);
                }
            }
            float scaleInter = ref == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(ref - top);
            int ao = r * stride;
            float den = acc[ao + vDim] * scaleInter + intra[vDim];
            boolean nan = Float.isNaN(den) || Float.isNaN(mIntra);
            for (int c = 0; c < vDim; c++) {
                float num = acc[ao + c] * scaleInter + intra[c];
                outRow[c] = nan ? Float.NaN : den > 0 ? num / den : 0f;
            }
        }

        /**
         * Folds keys [j0, j1) into S, S += PsiK^T (e v'), each row of S loaded and stored once;
         * returns the new reference (the largest I folded so far).
         */
        private float fold(float[] phiK, float[] kimp, int j0, int j1, float ref) {
            int n = j1 - j0;
            float top = ref;
            for (int j = j0; j < j1; j++) if (kimp[j] > top) top = kimp[j];
            if (top == Float.NEGATIVE_INFINITY || Float.isNaN(top)) return top;
            if (top > ref && ref != Float.NEGATIVE_INFINITY) VectorMath.scale(sMat, 0, sMat.length, (float) Math.exp(ref - top));
            float[] e = lastRow;
            Arrays.fill(e, 0f);
            for (int jj = 0; jj < n; jj++) e[jj] = (float) Math.exp(kimp[j0 + jj] - top);
            Arrays.fill(phiT, 0f);
            Arrays.fill(ephiT, 0f);
            for (int jj = 0; jj < n; jj++)
                for (int a = 0; a < width; a++) {
                    float x = phiK[(j0 + jj) * width + a];
                    phiT[a * CHUNK + jj] = x;
                    ephiT[a * CHUNK + jj] = e[jj] * x;
                }
            psiRows(ephiT, phiT, 1f, e);
            int t = 0;
            for (; t + 2 <= features; t += 2) {
                int c = 0;
                for (; c + 4 * L <= stride; c += 4 * L) fold2x4(t, c, n);
                for (; c < stride; c += L) {
                    fold1x1(t, c, n);
                    fold1x1(t + 1, c, n);
                }
            }
            for (; t < features; t++) for (int c = 0; c < stride; c += L) fold1x1(t, c, n);
            return top;
        }

        /**
         * Four vectors of rows t and t+1 of S += sum over the chunk's keys of psiT[row, jj] v'_jj:
         * 8 accumulators to cover the FMA latency, each value vector loaded once for both rows.
         */
        private void fold2x4(int t, int c, int n) {
            int so = t * stride + c, so1 = so + stride, po = t * CHUNK, po1 = po + CHUNK;
            FloatVector s0 = FloatVector.fromArray(SP, sMat, so), s1 = FloatVector.fromArray(SP, sMat, so + L);
            FloatVector s2 = FloatVector.fromArray(SP, sMat, so + 2 * L), s3 = FloatVector.fromArray(SP, sMat, so + 3 * L);
            FloatVector u0 = FloatVector.fromArray(SP, sMat, so1), u1 = FloatVector.fromArray(SP, sMat, so1 + L);
            FloatVector u2 = FloatVector.fromArray(SP, sMat, so1 + 2 * L), u3 = FloatVector.fromArray(SP, sMat, so1 + 3 * L);
            for (int jj = 0; jj < n; jj++) {
                FloatVector w = bc(psiT[po + jj]), x = bc(psiT[po1 + jj]);
                int vo = jj * stride + c;
                FloatVector v0 = FloatVector.fromArray(SP, vChunk, vo), v1 = FloatVector.fromArray(SP, vChunk, vo + L);
                FloatVector v2 = FloatVector.fromArray(SP, vChunk, vo + 2 * L), v3 = FloatVector.fromArray(SP, vChunk, vo + 3 * L);
                s0 = VectorMath.fma(v0, w, s0);
                s1 = VectorMath.fma(v1, w, s1);
                s2 = VectorMath.fma(v2, w, s2);
                s3 = VectorMath.fma(v3, w, s3);
                u0 = VectorMath.fma(v0, x, u0);
                u1 = VectorMath.fma(v1, x, u1);
                u2 = VectorMath.fma(v2, x, u2);
                u3 = VectorMath.fma(v3, x, u3);
            }
            s0.intoArray(sMat, so);
            s1.intoArray(sMat, so + L);
            s2.intoArray(sMat, so + 2 * L);
            s3.intoArray(sMat, so + 3 * L);
            u0.intoArray(sMat, so1);
            u1.intoArray(sMat, so1 + L);
            u2.intoArray(sMat, so1 + 2 * L);
            u3.intoArray(sMat, so1 + 3 * L);
        }

        private void fold1x1(int t, int c, int n) {
            int so = t * stride + c, po = t * CHUNK;
            FloatVector s0 = FloatVector.fromArray(SP, sMat, so), s1 = FloatVector.zero(SP);
            int jj = 0;
            for (; jj + 2 <= n; jj += 2) {
                s0 = VectorMath.fma(FloatVector.fromArray(SP, vChunk, jj * stride + c), bc(psiT[po + jj]), s0);
                s1 = VectorMath.fma(FloatVector.fromArray(SP, vChunk, (jj + 1) * stride + c), bc(psiT[po + jj + 1]), s1);
            }
            if (jj < n) s0 = VectorMath.fma(FloatVector.fromArray(SP, vChunk, jj * stride + c), bc(psiT[po + jj]), s0);
            s0.add(s1).intoArray(sMat, so);
        }
    }
}
