/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.simd.internal.DropoutFactors;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.ImportanceDropout;
import dev.ika4j.api.internal.plan.Importance;
import dev.ika4j.api.internal.plan.KernelParameters;
import dev.ika4j.api.internal.plan.PaperMath;
import dev.ika4j.api.internal.plan.SpectralPoints;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The spectral kernels' backward (IKA-direct, generator, copula; sections 3 to 6) in float32. The
 * spectral points and what produces them (generators, copula) are small and stay in float64
 * ({@link SpectralPoints}). FlashAttention-2 style, the forward keeps only each query row's
 * log-sum-exp (logit = log((g/4M)^2 + eps) + I(k_j) with g_ij = phi(q_i) . phi(k_j); I(q_i)
 * cancels); the backward recomputes phi, and per tile of {@link #KEY_BLOCK} keys and four query
 * rows ({@link RowBlock}) the products g and the weights P = exp(logit - lse), then dP = dO V^T,
 * dLogit = P (dP - D) with D = dO . out from the recorded output, and
 * dg_j = dLogit_j 2G_j / (G_j^2 + eps) / (4M), then dphi(q_i) = sum_j dg_j phi(k_j) and
 * dphi(k_j) += dg_j phi(q_i); phi of keys and its gradient are held transposed ([2M][key]) so each
 * product is a vector loop along the keys. Finally phi's chain rule, row by row, gives dQ, dK and
 * dW1, dW2, which {@link SpectralPoints#backward} takes to the kernel's parameters. Memory:
 * O(L (M + d)) per (batch, query head) and a [4, kv_seq] row block; the key tiles keep the key
 * features, values and their gradients in L2 while every query row passes. With importance dropout ({@link ImportanceDropout}) the
 * logit is log((g/4M)^2 + eps) + f_ij (I(q_i) + I(k_j)), the factor f_ij from the dropout's hash,
 * and the importance sums of the backward take the same factor.
 */
final class SpectralBackward {
    /** Keys per block of the backward: 256 keys x (2 x 2M + 2 d_v) floats, 384 KiB at M = d_v = 64 (512 measured slower at L = 2048). */
    static final int KEY_BLOCK = 256;

    private SpectralBackward() {}

    /**
     * A forward pass with what its backward needs: per (batch, query head) the log-sum-exp of each
     * query row's logits (-inf where the row sees no key); the features are recomputed.
     */
    static final class Recording {
        final AttentionProblem p;
        final SpectralPoints sp;
        final double[] q64, k64;
        final float[][] lse;
        final AttentionResult result;

        private Recording(AttentionProblem p, SpectralPoints sp, double[] q64, double[] k64, float[][] lse, Tensor out) {
            this.p = p;
            this.sp = sp;
            this.q64 = q64;
            this.k64 = k64;
            this.lse = lse;
            this.result = new AttentionResult(out, p.presentKey(), p.presentValue(), null, sp.regularizer);
        }

        AttentionResult result() {
            return result;
        }
    }

    /** The forward pass: out = softmax(masked logits) V, keeping each row's log-sum-exp. */
    static Recording forward(AttentionProblem p) {
        double[] q64 = widen(p.q()), k64 = widen(p.presentKey());
        SpectralPoints sp = SpectralPoints.of(p, KernelParameters.of(p.kernel()), q64, k64);
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), dv = p.vDim(), m2 = 2 * sp.samples;
        float[][] lse = new float[p.batch() * p.qHeads()][];
        Tensor out = p.q().like(p.batch(), p.qHeads(), p.qSeq(), dv);
        Head hd = new Head(p, sp, np);
        float[] vT = new float[dv * np], logits = new float[np], bias = new float[np], p4 = new float[RowBlock.ROWS * np];
        float[] g4 = new float[RowBlock.ROWS * np], row = new float[Math.max(dv, p.dim())], out4 = new float[RowBlock.ROWS * dv];
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                Transposed.load(p.presentValue(), b, kh, n, np, vT, row);
                for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
                    hd.load(q64, k64, b, h);
                    float[] lh = new float[p.qSeq()];
                    for (int i0 = 0; i0 < p.qSeq(); i0 += RowBlock.ROWS) {
                        RowBlock.products(hd.phiQ, i0, m2, hd.phiKT, np, g4, 0);
                        int i1 = Math.min(i0 + RowBlock.ROWS, p.qSeq());
                        for (int i = i0; i < i0 + RowBlock.ROWS; i++) {
                            int o = (i - i0) * np;
                            if (i < i1) {
                                logits(p, hd, b, h, i, g4, o, logits, bias);
                                lh[i] = logSumExp(logits, np);
                            }
                            if (i < i1 && lh[i] != Float.NEGATIVE_INFINITY) weights(logits, lh[i], p4, o, np);
                            else Arrays.fill(p4, o, o + np, 0f);
                        }
                        RowBlock.dots(p4, vT, np, dv, out4, 0);
                        for (int i = i0; i < i1; i++) out.writeRow(b, h, i, out4, (i - i0) * dv);
                    }
                    lse[b * p.qHeads() + h] = lh;
                }
            }
        }
        return new Recording(p, sp, q64, k64, lse, out);
    }

    /**
     * Returns {dq, dk, dv} flat BHSD (dk, dv over the present keys); adds parameter gradients to
     * {@code grads}. FlashAttention-2 style: per tile of keys and four query rows the products g and
     * the weights P = exp(logit - lse) are recomputed, never stored beyond the tile.
     */
    static float[][] backward(Recording rec, Tensor dOut, double dReg, Map<String, double[]> grads) {
        AttentionProblem p = rec.p;
        SpectralPoints sp = rec.sp;
        sp.zeroGradients().forEach(grads::put);
        int n = p.kvSeq(), np = Rows.padded(Math.max(n, 1)), dv = p.vDim(), m = sp.samples, m2 = 2 * m;
        float[] dq = new float[rec.q64.length], dk = new float[rec.k64.length], dvv = new float[p.batch() * p.kvHeads() * n * dv];
        double[] dW1 = new double[sp.w1.length], dW2 = new double[sp.w2.length];
        Head hd = new Head(p, sp, np);
        float[] vT = new float[dv * np], dvT = new float[dv * np], dO4 = new float[RowBlock.ROWS * dv];
        float[] logits = new float[np], bias = new float[np], p4 = new float[RowBlock.ROWS * np];
        float[] g4 = new float[RowBlock.ROWS * np], dg4 = new float[RowBlock.ROWS * np];
        boolean[] live = new boolean[RowBlock.ROWS];
        float inv4M = (float) (1.0 / (4.0 * m)), eps = (float) sp.eps;
        // keys in blocks whose features, values and gradients stay in L2 while every query row passes;
        // a mask's bias comes a whole row at a time, so with one the block is the whole row
        int kb = p.mask() != null ? np : Math.min(np, KEY_BLOCK);
        float[] dRow = new float[p.qSeq()], row = new float[dv];
        int w4 = Rows.padded(RowBlock.ROWS);
        float[] outT = new float[dv * w4], d4 = new float[RowBlock.ROWS * w4];
        Tensor out = rec.result.output();
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                Transposed.load(p.presentValue(), b, kh, n, np, vT, new float[dv]);
                Arrays.fill(dvT, 0f);
                for (int h = kh * p.group(); h < (kh + 1) * p.group(); h++) {
                    float[] lh = rec.lse[b * p.qHeads() + h];
                    hd.load(rec.q64, rec.k64, b, h);
                    // D_i = dO_i . out_i, by the same FMA sequence as dP = dO V^T (RowBlock.products over
                    // the four outputs as keys), so that a row that sees one key (P = 1, out = v) passes nothing
                    for (int i0 = 0; i0 < p.qSeq(); i0 += RowBlock.ROWS) {
                        Arrays.fill(dO4, 0f);
                        Arrays.fill(outT, 0f);
                        for (int r = 0; r < RowBlock.ROWS && i0 + r < p.qSeq(); r++) {
                            dOut.readRow(b, h, i0 + r, dO4, r * dv);
                            out.readRow(b, h, i0 + r, row, 0);
                            for (int c = 0; c < dv; c++) outT[c * w4 + r] = row[c];
                        }
                        RowBlock.products(dO4, 0, dv, outT, w4, d4, 0);
                        for (int r = 0; r < RowBlock.ROWS && i0 + r < p.qSeq(); r++) dRow[i0 + r] = d4[r * w4 + r];
                    }
                    for (int j0 = 0; j0 < np; j0 += kb) {
                        int j1 = Math.min(np, j0 + kb);
                        for (int i0 = 0; i0 < p.qSeq(); i0 += RowBlock.ROWS) {
                            RowBlock.products(hd.phiQ, i0, m2, hd.phiKT, np, g4, 0, j0, j1);
                            Arrays.fill(dO4, 0f);
                            for (int r = 0; r < RowBlock.ROWS; r++) {
                                int i = i0 + r;
                                live[r] = i < p.qSeq() && lh[i] != Float.NEGATIVE_INFINITY;
                                if (!live[r]) {
                                    Arrays.fill(p4, r * np + j0, r * np + j1, 0f);
                                    continue;
                                }
                                logits(p, hd, b, h, i, g4, r * np, logits, bias, j0, j1);
                                weights(logits, lh[i], p4, r * np, j0, j1);
                                dOut.readRow(b, h, i, dO4, r * dv);
                            }
                            // dP = dO V^T and dV^T += dO^T P for the four rows at once
                            RowBlock.products(dO4, 0, dv, vT, np, dg4, 0, j0, j1);
                            RowBlock.update(dO4, 0, dv, p4, np, dvT, j0, j1);
                            for (int r = 0; r < RowBlock.ROWS; r++) {
                                if (live[r]) rowGradient(p, hd, b, h, i0 + r, g4, p4, dg4, r * np, dRow[i0 + r], j0, j1, inv4M, eps);
                                else Arrays.fill(dg4, r * np + j0, r * np + j1, 0f);
                            }
                            RowBlock.dotsAdd(dg4, hd.phiKT, np, m2, hd.dPhiQ, i0, j0, j1);
                            RowBlock.update(hd.phiQ, i0, m2, dg4, np, hd.dPhiKT, j0, j1);
                        }
                    }
                    hd.backward(rec.q64, rec.k64, b, h, dq, dk, dW1, dW2);
                }
                Transposed.store(dvT, np, dvv, ((b * p.kvHeads() + kh) * n) * dv, n, dv);
            }
        }
        double[] dq64 = new double[rec.q64.length], dk64 = new double[rec.k64.length];
        sp.backward(dW1, dW2, dReg, grads, dq64, dk64);
        for (int i = 0; i < dq.length; i++) dq[i] += (float) dq64[i];
        for (int i = 0; i < dk.length; i++) dk[i] += (float) dk64[i];
        return new float[][] {dq, dk, dvv};
    }

    /**
     * Query row i's masked logits from its products g[go ..+np): log((g/4M)^2 + eps) + I(k_j), or
     * with importance dropout + f_ij (I(q_i) + I(k_j)); -inf past the key limit and where masked.
     */
    private static void logits(AttentionProblem p, Head hd, int b, int h, int i, float[] g, int go, float[] logits, float[] bias) {
        logits(p, hd, b, h, i, g, go, logits, bias, 0, hd.np);
    }

    /** As above for the keys [j0, j1) (multiples of the lanes; with a mask, the whole row). */
    private static void logits(AttentionProblem p, Head hd, int b, int h, int i, float[] g, int go, float[] logits, float[] bias,
                               int j0, int j1) {
        float inv4M = (float) (1.0 / (4.0 * hd.m)), eps = (float) hd.sp.eps;
        int n = p.kvSeq();
        if (hd.dropout == null) {
            spectralLogits(g, go, hd.keyImp, inv4M, eps, logits, j0, j1);
        } else {
            spectralLogits(g, go, hd.zeros, inv4M, eps, logits, j0, j1);
            // the factors stay at the row's offset go, for rowGradient of the same row and tile
            int jn = Math.min(j1, n);
            DropoutFactors.fill(hd.dropout, b, h, i, j0, jn, hd.factors, go + j0);
            for (int j = j0; j < jn; j++) logits[j] += (float) (hd.factors[go + j] * (hd.qImp[i] + hd.kImp[j]));
        }
        if (p.mask() != null) {
            KeyMasking.apply(p, b, h, i, logits, bias, hd.np);
        } else {
            Arrays.fill(logits, Math.min(j1, Math.max(j0, p.keyLimit(b, i))), j1, Float.NEGATIVE_INFINITY);
        }
    }

    /**
     * log sum_j exp(logits_j) over [0, n); -inf when no logit is finite. Here and in {@link #weights}
     * the library's EXP, not VectorMath.exp: with the latter the training steps of the spectral
     * kernels ran 4.8x slower (co2, IKA-direct, 300 epochs: 175 s against 37 s of CPU; the cause
     * was not isolated). This backward is not claimed bit-identical across JIT tiers.
     */
    private static float logSumExp(float[] logits, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, logits[j]);
        if (max == Float.NEGATIVE_INFINITY) return max;
        FloatVector vmax = FloatVector.broadcast(Rows.S, max), sum = FloatVector.zero(Rows.S);
        for (int j = 0; j < n; j += Rows.LANES) sum = sum.add(FloatVector.fromArray(Rows.S, logits, j).sub(vmax).lanewise(VectorOperators.EXP));
        return max + (float) Math.log(VectorMath.sumLanes(sum));
    }

    /** prob[po + j] = exp(logits_j - lse) over [0, n). */
    private static void weights(float[] logits, float lse, float[] prob, int po, int n) {
        weights(logits, lse, prob, po, 0, n);
    }

    /** As above over [j0, j1). */
    private static void weights(float[] logits, float lse, float[] prob, int po, int j0, int j1) {
        FloatVector l = FloatVector.broadcast(Rows.S, lse);
        for (int j = j0; j < j1; j += Rows.LANES) {
            FloatVector.fromArray(Rows.S, logits, j).sub(l).lanewise(VectorOperators.EXP).intoArray(prob, po + j);
        }
    }

    /** Forward and backward in one go, for a backward call that has no recording. */
    static float[][] run(AttentionProblem p, Tensor dOut, double dReg, Map<String, double[]> grads) {
        return backward(forward(p), dOut, dReg, grads);
    }

    /**
     * One query row's keys [j0, j1), its products g, weights P and dP = dO V^T at offset o of the
     * block's rows: dLogit = P (dP - D) with D = dO . out (the row's sum of P dP), the importance
     * sums, and the kernel's dg in place of dP.
     */
    private static void rowGradient(AttentionProblem p, Head hd, int b, int h, int i, float[] g, float[] prob, float[] d, int o,
                                    float rowDot, int j0, int j1, float inv4M, float eps) {
        int n = p.kvSeq();
        FloatVector rd = FloatVector.broadcast(Rows.S, rowDot);
        for (int j = j0; j < j1; j += Rows.LANES) {
            FloatVector pv = FloatVector.fromArray(Rows.S, prob, o + j);
            pv.mul(FloatVector.fromArray(Rows.S, d, o + j).sub(rd)).intoArray(d, o + j);
        }
        float rowSum = 0;
        int jn = Math.min(j1, n);
        for (int j = j0; j < jn; j++) {
            // the importance's share of the logit's gradient: times the dropout's factor (logits() left
            // this row's at offset o) where there is one
            float di = hd.dropout == null ? d[o + j] : (float) (d[o + j] * hd.factors[o + j]);
            rowSum += di;
            hd.colSum[j] += di;
        }
        hd.rowSum[i] += rowSum;
        kernelGradient(g, o, d, o, inv4M, eps, j0, j1);
    }

    /** logits_j = log((g_j / 4M)^2 + eps) + I(k_j); the padding gets whatever, masking follows. */
    private static void spectralLogits(float[] g, int go, float[] keyImp, float inv4M, float eps, float[] logits, int j0, int j1) {
        FloatVector e = FloatVector.broadcast(Rows.S, eps);
        for (int j = j0; j < j1; j += Rows.LANES) {
            FloatVector gv = FloatVector.fromArray(Rows.S, g, go + j).mul(inv4M);
            VectorMath.fma(gv, gv, e).lanewise(VectorOperators.LOG).add(FloatVector.fromArray(Rows.S, keyImp, j)).intoArray(logits, j);
        }
    }

    /** dg_j = dl_j 2 G_j / (G_j^2 + eps) / (4M) with G = g / (4M), in place of dl[o ..+np). */
    private static void kernelGradient(float[] g, int go, float[] dl, int o, float inv4M, float eps, int j0, int j1) {
        FloatVector e = FloatVector.broadcast(Rows.S, eps);
        for (int j = j0; j < j1; j += Rows.LANES) {
            FloatVector gv = FloatVector.fromArray(Rows.S, g, go + j).mul(inv4M);
            FloatVector den = VectorMath.fma(gv, gv, e);
            FloatVector.fromArray(Rows.S, dl, o + j).mul(gv).mul(2 * inv4M).div(den).intoArray(dl, o + j);
        }
    }

    static double[] widen(Tensor t) {
        float[] f = t.toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /**
     * One (batch, query head): phi of its queries and keys with the trigonometric values phi's
     * backward needs, the key importances, and the gradient accumulators of the row loop.
     */
    static final class Head {
        final AttentionProblem p;
        final SpectralPoints sp;
        final int np, m, m2, d;
        final float[] w1, w2;                  // c W[:, h, :], [d][M]
        final float[] phiQ, cosAq, sinAq, cosBq, sinBq;   // [qSeq][2M], [qSeq][M] x 4
        final float[] phiKT, cosAk, sinAk, cosBk, sinBk;  // [2M][np], [kvSeq][M] x 4
        final float[] keyImp, dPhiQ, dPhiKT, colSum, rowSum, zeros;
        /** Importance dropout in training, or null; then I(q_i) and I(k_j) unshifted, in float64. */
        final ImportanceDropout dropout;
        final double[] qImp, kImp;
        /** The dropout factors of a block's four rows, [4][np] by key, as the logits left them. */
        final double[] factors;
        final float[] angleA, angleB, dCos, dSin, dW1h, dW2h;
        /** c W transposed, [mp][dp] (zero padding); a block of four rows' da, db [4][mp], x [4][d], dx [4][dp]. */
        final int dp;
        final float[] w1T, w2T, da4, db4, x4, dxA, dxB;

        Head(AttentionProblem p, SpectralPoints sp, int np) {
            this.p = p;
            this.sp = sp;
            this.np = np;
            this.m = sp.samples;
            this.m2 = 2 * m;
            this.d = p.dim();
            int mp = Rows.padded(m);
            w1 = new float[d * mp];
            w2 = new float[d * mp];
            int rows = (p.qSeq() + RowBlock.ROWS - 1) / RowBlock.ROWS * RowBlock.ROWS;
            phiQ = new float[rows * m2];  // padding rows stay zero: their products are computed, never used
            dPhiQ = new float[rows * m2];
            cosAq = new float[p.qSeq() * mp];
            sinAq = new float[p.qSeq() * mp];
            cosBq = new float[p.qSeq() * mp];
            sinBq = new float[p.qSeq() * mp];
            phiKT = new float[m2 * np];
            dPhiKT = new float[m2 * np];
            cosAk = new float[p.kvSeq() * mp];
            sinAk = new float[p.kvSeq() * mp];
            cosBk = new float[p.kvSeq() * mp];
            sinBk = new float[p.kvSeq() * mp];
            keyImp = new float[np];
            zeros = new float[np];
            dropout = ImportanceDropout.of(p.kernel());
            factors = new double[dropout == null ? 0 : RowBlock.ROWS * np];
            qImp = new double[p.qSeq()];
            kImp = new double[p.kvSeq()];
            colSum = new float[np];
            rowSum = new float[p.qSeq()];
            angleA = new float[mp];
            angleB = new float[mp];
            dCos = new float[mp];  // [m, mp) stays zero, so padded lanes carry no gradient
            dSin = new float[mp];
            dW1h = new float[d * mp];
            dp = Rows.padded(d);
            w1T = new float[mp * dp];
            w2T = new float[mp * dp];
            da4 = new float[RowBlock.ROWS * mp];
            db4 = new float[RowBlock.ROWS * mp];
            x4 = new float[RowBlock.ROWS * d];
            dxA = new float[RowBlock.ROWS * dp];
            dxB = new float[RowBlock.ROWS * dp];
            dW2h = new float[d * mp];
        }

        void load(double[] q64, double[] k64, int b, int h) {
            int mp = Rows.padded(m), wOff = sp.wOffset(b);
            Arrays.fill(w1, 0f);
            Arrays.fill(w2, 0f);
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < m; s++) {
                    int wi = wOff + (r * sp.heads + h) * m + s;
                    w1[r * mp + s] = (float) (sp.frequencyScale * sp.w1[wi]);
                    w2[r * mp + s] = (float) (sp.frequencyScale * sp.w2[wi]);
                    w1T[s * dp + r] = w1[r * mp + s];
                    w2T[s * dp + r] = w2[r * mp + s];
                }
            }
            int kh = p.kvHead(h);
            for (int i = 0; i < p.qSeq(); i++) {
                int xo = ((b * p.qHeads() + h) * p.qSeq() + i) * d;
                if (dropout != null) qImp[i] = PaperMath.importance(q64, xo, d, sp.p, sp.tau);
                trig(q64, xo, i, cosAq, sinAq, cosBq, sinBq);
                for (int s = 0; s < m; s++) {
                    phiQ[i * m2 + s] = cosAq[i * mp + s] + cosBq[i * mp + s];
                    phiQ[i * m2 + m + s] = sinAq[i * mp + s] + sinBq[i * mp + s];
                }
            }
            Arrays.fill(phiKT, 0f);
            Arrays.fill(keyImp, 0f);
            double shift = Double.NEGATIVE_INFINITY;
            double[] imp = new double[p.kvSeq()];
            for (int j = 0; j < p.kvSeq(); j++) {
                int xo = ((b * p.kvHeads() + kh) * p.kvSeq() + j) * d;
                trig(k64, xo, j, cosAk, sinAk, cosBk, sinBk);
                for (int s = 0; s < m; s++) {
                    phiKT[s * np + j] = cosAk[j * mp + s] + cosBk[j * mp + s];
                    phiKT[(m + s) * np + j] = sinAk[j * mp + s] + sinBk[j * mp + s];
                }
                imp[j] = kImp[j] = PaperMath.importance(k64, xo, d, sp.p, sp.tau);
                if (j < p.kvLength(b) && imp[j] > shift) shift = imp[j];
            }
            // a per-row constant leaves the softmax unchanged; subtracting the largest keeps floats small
            if (!Double.isFinite(shift)) shift = 0;
            for (int j = 0; j < p.kvSeq(); j++) keyImp[j] = (float) (imp[j] - shift);
            Arrays.fill(dPhiQ, 0f);
            Arrays.fill(dPhiKT, 0f);
            Arrays.fill(colSum, 0f);
            Arrays.fill(rowSum, 0f);
        }

        /** cos and sin of a = c W1^T x and b = c W2^T x for one row, into row {@code row} of the four arrays. */
        private void trig(double[] x, int xo, int row, float[] cosA, float[] sinA, float[] cosB, float[] sinB) {
            int mp = Rows.padded(m);
            Arrays.fill(angleA, 0f);
            Arrays.fill(angleB, 0f);
            for (int r = 0; r < d; r++) {
                float xr = (float) x[xo + r];
                Rows.axpy(xr, w1, r * mp, angleA, 0, mp);
                Rows.axpy(xr, w2, r * mp, angleB, 0, mp);
            }
            for (int s = 0; s < mp; s += Rows.LANES) {
                FloatVector a = FloatVector.fromArray(Rows.S, angleA, s), bb = FloatVector.fromArray(Rows.S, angleB, s);
                a.lanewise(VectorOperators.COS).intoArray(cosA, row * mp + s);
                a.lanewise(VectorOperators.SIN).intoArray(sinA, row * mp + s);
                bb.lanewise(VectorOperators.COS).intoArray(cosB, row * mp + s);
                bb.lanewise(VectorOperators.SIN).intoArray(sinB, row * mp + s);
            }
        }

        /** phi's chain rule and the importances, for every query and key row of this head. */
        void backward(double[] q64, double[] k64, int b, int h, float[] dq, float[] dk, double[] dW1, double[] dW2) {
            int mp = Rows.padded(m), kh = p.kvHead(h);
            Arrays.fill(dW1h, 0f);
            Arrays.fill(dW2h, 0f);
            rows(q64, ((b * p.qHeads() + h) * p.qSeq()) * d, p.qSeq(), dPhiQ, m2, 1, cosAq, sinAq, cosBq, sinBq, rowSum, dq);
            rows(k64, ((b * p.kvHeads() + kh) * p.kvSeq()) * d, p.kvSeq(), dPhiKT, 1, np, cosAk, sinAk, cosBk, sinBk, colSum, dk);
            // dW = c x da^T, gathered in float32 per head, folded into the float64 totals here
            int wOff = sp.wOffset(b);
            double c = sp.frequencyScale;
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < m; s++) {
                    int wi = wOff + (r * sp.heads + h) * m + s;
                    dW1[wi] += c * dW1h[r * mp + s];
                    dW2[wi] += c * dW2h[r * mp + s];
                }
            }
        }

        /**
         * Rows [0, count) of x (from {@code base}, d apart), four at a time: dphi (row i's 2M values
         * at dPhi[i * rowStride + t * featStride]) to da = -sin a dcos + cos a dsin and db, then
         * dx = (c W1) da + (c W2) db plus the importance's share (weight imp[i]) into dOut, and
         * dW1h += x da^T, dW2h += x db^T ({@link RowBlock}: each weight vector loaded serves four rows).
         */
        private void rows(double[] x, int base, int count, float[] dPhi, int rowStride, int featStride, float[] cosA, float[] sinA,
                          float[] cosB, float[] sinB, float[] imp, float[] dOut) {
            int mp = Rows.padded(m);
            double[] dx = new double[d];
            for (int i0 = 0; i0 < count; i0 += RowBlock.ROWS) {
                for (int r = 0; r < RowBlock.ROWS; r++) {
                    int i = i0 + r;
                    if (i >= count) {
                        Arrays.fill(da4, r * mp, (r + 1) * mp, 0f);
                        Arrays.fill(db4, r * mp, (r + 1) * mp, 0f);
                        Arrays.fill(x4, r * d, (r + 1) * d, 0f);
                        continue;
                    }
                    int po = i * rowStride;
                    for (int s = 0; s < m; s++) {
                        dCos[s] = dPhi[po + s * featStride];
                        dSin[s] = dPhi[po + (m + s) * featStride];
                    }
                    int o = i * mp;
                    for (int s = 0; s < mp; s += Rows.LANES) {
                        FloatVector dc = FloatVector.fromArray(Rows.S, dCos, s), ds = FloatVector.fromArray(Rows.S, dSin, s);
                        FloatVector.fromArray(Rows.S, cosA, o + s).mul(ds).sub(FloatVector.fromArray(Rows.S, sinA, o + s).mul(dc))
                                .intoArray(da4, r * mp + s);
                        FloatVector.fromArray(Rows.S, cosB, o + s).mul(ds).sub(FloatVector.fromArray(Rows.S, sinB, o + s).mul(dc))
                                .intoArray(db4, r * mp + s);
                    }
                    for (int c = 0; c < d; c++) x4[r * d + c] = (float) x[base + i * d + c];
                }
                RowBlock.products(da4, 0, mp, w1T, dp, dxA, 0);
                RowBlock.products(db4, 0, mp, w2T, dp, dxB, 0);
                RowBlock.update(x4, 0, d, da4, mp, dW1h);
                RowBlock.update(x4, 0, d, db4, mp, dW2h);
                for (int r = 0; r < RowBlock.ROWS && i0 + r < count; r++) {
                    int xo = base + (i0 + r) * d;
                    for (int c = 0; c < d; c++) dx[c] = dxA[r * dp + c] + dxB[r * dp + c];
                    Importance.addGradient(x, xo, d, sp.p, sp.tau, imp[i0 + r], dx, 0);
                    for (int c = 0; c < d; c++) dOut[xo + c] += (float) dx[c];
                }
            }
        }
    }
}
