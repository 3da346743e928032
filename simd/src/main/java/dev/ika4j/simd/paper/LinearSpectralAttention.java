package dev.ika4j.simd.paper;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.PaperPlan;
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
 * z is kept as one more column of S (v' = [v, 1]). Keys are folded in chunks of {@link #CHUNK};
 * the queries whose key limit ends inside a chunk read S as it was before the chunk (all earlier
 * keys) and add the chunk's visible keys directly (a small quadratic part), so causal attention,
 * valid lengths and a past cache cost the same single pass as the non-causal form.
 *
 * <p>Numerics: S is kept relative to the largest I(k) folded so far and rescaled when that grows;
 * a query's in-chunk part is relative to the largest I among its own visible keys and the two parts
 * are merged in log-sum-exp fashion, so no exp overflows and no visible key underflows against a
 * key the query cannot see.
 *
 * <p>Parallel over (batch, query head); each pass over the keys is sequential.
 */
final class LinearSpectralAttention {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    static final int CHUNK = 64;

    private LinearSpectralAttention() {}

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(SP, v);
    }

    static void compute(AttentionProblem p, PaperPlan plan, Tensor out, WorkPool pool) {
        SpectralFeatures f = SpectralFeatures.compute(p, plan, pool, false);
        pool.run(p.batch * p.qHeads, () -> new Head(p, plan), (w, task) -> w.run(f, out, task / p.qHeads, task % p.qHeads));
    }

    /** One worker's state for one (batch, head) pass. */
    private static final class Head {
        final AttentionProblem p;
        final int m, width, features, stride, vDim;
        final float eps;
        final float[] sMat, vChunk, acc, intra, zeroPhi;

        Head(AttentionProblem p, PaperPlan plan) {
            this.p = p;
            this.m = plan.samples;
            this.width = 2 * m;
            this.features = m * (2 * m + 1) + 1;
            this.vDim = p.vDim;
            this.stride = (vDim + 1 + L - 1) / L * L;
            this.eps = (float) plan.eps;
            long size = (long) features * stride;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("linear-time mode needs M (2M + 1) x (v_dim + 1) = " + size
                        + " floats per head, too many for M = " + m + "; use the quadratic form");
            }
            this.sMat = new float[(int) size];
            this.vChunk = new float[CHUNK * stride];
            this.acc = new float[4 * stride];
            this.intra = new float[stride];
            this.zeroPhi = new float[width];
        }

        void run(SpectralFeatures f, Tensor out, int b, int h) {
            int idx = b * p.qHeads + h, kh = p.kvHead(h);
            float[] phiQ = f.phiQ[idx], phiK = f.phiK[idx], kimp = f.keyImportance[idx];
            Arrays.fill(sMat, 0f);
            float ref = Float.NEGATIVE_INFINITY;
            float[] outRow = new float[vDim];
            int qi = 0;
            // Rows that see no key are zeros, as in the quadratic form.
            while (qi < p.qSeq && p.keyLimit(b, qi) == 0) {
                Arrays.fill(outRow, 0f);
                out.writeRow(b, h, qi++, outRow, 0);
            }
            int needed = p.qSeq == 0 ? 0 : p.keyLimit(b, p.qSeq - 1);
            for (int j0 = 0; j0 < needed && qi < p.qSeq; j0 += CHUNK) {
                int j1 = Math.min(j0 + CHUNK, needed);
                loadValues(b, kh, j0, j1);
                int qEnd = qi;
                while (qEnd < p.qSeq && p.keyLimit(b, qEnd) <= j1) qEnd++;
                for (int g = qi; g < qEnd; g += 4) {
                    int n = Math.min(4, qEnd - g);
                    inter(phiQ, g, n, ref == Float.NEGATIVE_INFINITY);
                    for (int r = 0; r < n; r++) {
                        int i = g + r;
                        finishRow(phiQ, phiK, kimp, i, j0, p.keyLimit(b, i), ref, r, outRow);
                        out.writeRow(b, h, i, outRow, 0);
                    }
                }
                qi = qEnd;
                if (qi < p.qSeq) ref = fold(phiK, kimp, j0, j1, ref);
            }
        }

        /** v' = [v, 1, 0...] of keys [j0, j1) into vChunk. */
        private void loadValues(int b, int kh, int j0, int j1) {
            for (int j = j0; j < j1; j++) {
                int o = (j - j0) * stride;
                p.presentValue.readRow(b, kh, j, vChunk, o);
                vChunk[o + vDim] = 1f;
                for (int c = vDim + 1; c < stride; c++) vChunk[o + c] = 0f;
            }
        }

        /**
         * acc[r] = psi'(q_{g+r})^T S for r < n (rows past n use phi = 0 and are discarded), the
         * earlier keys' share relative to the current reference.
         */
        private void inter(float[] phiQ, int g, int n, boolean empty) {
            Arrays.fill(acc, 0f);
            if (empty) return;
            float[] q0 = phiQ, q1 = n > 1 ? phiQ : zeroPhi, q2 = n > 2 ? phiQ : zeroPhi, q3 = n > 3 ? phiQ : zeroPhi;
            int o0 = g * width, o1 = n > 1 ? (g + 1) * width : 0, o2 = n > 2 ? (g + 2) * width : 0, o3 = n > 3 ? (g + 3) * width : 0;
            for (int c = 0; c < stride; c += L) {
                FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0;
                int t = 0;
                for (int a = 0; a < width; a++) {
                    float x0 = q0[o0 + a], x1 = q1[o1 + a], x2 = q2[o2 + a], x3 = q3[o3 + a];
                    for (int bb = a; bb < width; bb++, t++) {
                        float coef = bb == a ? 1f : 2f;
                        FloatVector sv = FloatVector.fromArray(SP, sMat, t * stride + c);
                        a0 = sv.fma(bc(coef * x0 * q0[o0 + bb]), a0);
                        a1 = sv.fma(bc(coef * x1 * q1[o1 + bb]), a1);
                        a2 = sv.fma(bc(coef * x2 * q2[o2 + bb]), a2);
                        a3 = sv.fma(bc(coef * x3 * q3[o3 + bb]), a3);
                    }
                }
                FloatVector sv = FloatVector.fromArray(SP, sMat, t * stride + c);
                a0 = sv.fma(bc(eps), a0);
                a1 = sv.fma(bc(eps), a1);
                a2 = sv.fma(bc(eps), a2);
                a3 = sv.fma(bc(eps), a3);
                a0.intoArray(acc, c);
                a1.intoArray(acc, stride + c);
                a2.intoArray(acc, 2 * stride + c);
                a3.intoArray(acc, 3 * stride + c);
            }
        }

        /** Adds query i's visible keys of the chunk to its share of S, merges, divides, writes outRow. */
        private void finishRow(float[] phiQ, float[] phiK, float[] kimp, int i, int j0, int limit, float ref, int r, float[] outRow) {
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

        /** Folds keys [j0, j1) into S; returns the new reference (the largest I folded so far). */
        private float fold(float[] phiK, float[] kimp, int j0, int j1, float ref) {
            float top = ref;
            for (int j = j0; j < j1; j++) if (kimp[j] > top) top = kimp[j];
            if (top > ref && ref != Float.NEGATIVE_INFINITY) VectorMath.scale(sMat, 0, sMat.length, (float) Math.exp(ref - top));
            if (top == Float.NEGATIVE_INFINITY || Float.isNaN(top)) return top;
            int j = j0;
            for (; j + 4 <= j1; j += 4) fold4(phiK, kimp, j, j0, top);
            for (; j < j1; j++) fold1(phiK, kimp, j, j0, top);
            return top;
        }

        /** S[t] += sum over 4 keys of e_j psi(k_j)[t] v'_j. */
        private void fold4(float[] phiK, float[] kimp, int j, int j0, float top) {
            float e0 = (float) Math.exp(kimp[j] - top), e1 = (float) Math.exp(kimp[j + 1] - top);
            float e2 = (float) Math.exp(kimp[j + 2] - top), e3 = (float) Math.exp(kimp[j + 3] - top);
            int k0 = j * width, k1 = k0 + width, k2 = k1 + width, k3 = k2 + width;
            int v0 = (j - j0) * stride, v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride;
            int t = 0;
            for (int a = 0; a < width; a++) {
                float x0 = e0 * phiK[k0 + a], x1 = e1 * phiK[k1 + a], x2 = e2 * phiK[k2 + a], x3 = e3 * phiK[k3 + a];
                for (int bb = a; bb < width; bb++, t++) {
                    float w0 = x0 * phiK[k0 + bb], w1 = x1 * phiK[k1 + bb], w2 = x2 * phiK[k2 + bb], w3 = x3 * phiK[k3 + bb];
                    rowUpdate(t * stride, w0, w1, w2, w3, v0, v1, v2, v3);
                }
            }
            rowUpdate(t * stride, e0, e1, e2, e3, v0, v1, v2, v3);
        }

        private void rowUpdate(int so, float w0, float w1, float w2, float w3, int v0, int v1, int v2, int v3) {
            for (int c = 0; c < stride; c += L) {
                FloatVector s = FloatVector.fromArray(SP, sMat, so + c);
                s = FloatVector.fromArray(SP, vChunk, v0 + c).fma(bc(w0), s);
                s = FloatVector.fromArray(SP, vChunk, v1 + c).fma(bc(w1), s);
                s = FloatVector.fromArray(SP, vChunk, v2 + c).fma(bc(w2), s);
                s = FloatVector.fromArray(SP, vChunk, v3 + c).fma(bc(w3), s);
                s.intoArray(sMat, so + c);
            }
        }

        private void fold1(float[] phiK, float[] kimp, int j, int j0, float top) {
            float e = (float) Math.exp(kimp[j] - top);
            int k0 = j * width, v0 = (j - j0) * stride;
            int t = 0;
            for (int a = 0; a < width; a++) {
                float x = e * phiK[k0 + a];
                for (int bb = a; bb < width; bb++, t++) VectorMath.axpy(x * phiK[k0 + bb], vChunk, v0, sMat, t * stride, stride);
            }
            VectorMath.axpy(e, vChunk, v0, sMat, t * stride, stride);
        }
    }
}
