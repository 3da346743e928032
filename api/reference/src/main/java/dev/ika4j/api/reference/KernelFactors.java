/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Objects;

/**
 * The two factors of a paper kernel's attention weights, for inspection: the similarity kappa and
 * the importance I, with logit_ij = logKernel_ij + I(q_i) + I(k_j) before masks, so that
 * softmax_j(logit_ij) (masked as the call masks it) is the attention the call computes.
 *
 * <p>For {@link RbfImportanceKernel} logKernel = -|q - k|^2 / (2 tau), the log of the RBF kernel;
 * for the spectral kernels logKernel = log(kappa + eps). Computed in float64 by the reference
 * formulas (the oracle's own) and stored as float32.
 *
 * @param logKernel       [batch, q_heads, q_seq, total_kv_seq] (past included), no mask applied
 * @param queryImportance I(q_i), [batch, q_heads, q_seq, 1]
 * @param keyImportance   I(k_j), [batch, kv_heads, total_kv_seq, 1]
 */
public record KernelFactors(Tensor logKernel, Tensor queryImportance, Tensor keyImportance) {

    /**
     * The factors of {@code options.kernel()} (a {@link PaperKernel}) for these queries and keys
     * (plus any past keys in the options). A seeded training-mode kernel takes one draw, as a call
     * would.
     */
    public static KernelFactors of(Tensor q, Tensor k, AttentionOptions options) {
        Objects.requireNonNull(k, "k");
        if (!(options.kernel() instanceof PaperKernel)) {
            throw new IllegalArgumentException("kernel factors exist for the paper's kernels, not '" + options.kernel().name() + "'");
        }
        // V plays no part in the factors; a stand-in of K's shape satisfies the checks.
        AttentionOptions.Builder standIn = options.toBuilder().returnEnergy(false);
        if (options.pastKey() != null) standIn.past(options.pastKey(), options.pastKey());
        AttentionProblem p = AttentionProblem.of(q, k, k, standIn.build());
        ReferenceBackward.Values x = ReferenceBackward.Values.of(p);
        SpectralW sp = null;
        double norm, tau;
        if (p.kernel() instanceof RbfImportanceKernel r) {
            if (p.softcap() > 0) {
                throw new IllegalArgumentException("softcap (" + p.softcap() + ") applies to the standard kernel only, not '"
                        + r.name() + "'");
            }
            norm = r.p();
            tau = r.resolveTau(p.scale());
        } else {
            sp = SpectralW.of(p, x.parameters(), x.q(), x.k(), true);
            norm = sp.p;
            tau = sp.tau;
        }
        int d = p.dim();
        Tensor logK = Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), Math.max(1, p.kvSeq()));
        Tensor iq = Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), 1);
        Tensor ik = Tensor.zerosBhsd(p.batch(), p.kvHeads(), Math.max(1, p.kvSeq()), 1);
        for (int b = 0; b < p.batch(); b++) {
            for (int kh = 0; kh < p.kvHeads(); kh++) {
                for (int j = 0; j < p.kvSeq(); j++) {
                    ik.set(b, kh, j, 0, (float) LpImportance.value(x.k(), kOffset(p, b, kh, j), d, norm, tau));
                }
            }
            for (int h = 0; h < p.qHeads(); h++) {
                int kh = p.kvHead(h);
                for (int i = 0; i < p.qSeq(); i++) {
                    iq.set(b, h, i, 0, (float) LpImportance.value(x.q(), qOffset(p, b, h, i), d, norm, tau));
                }
                double[] phiQ = null, phiK = null;  // the projections [c W1^T x ; c W2^T x] of each row
                int m = sp == null ? 0 : sp.samples;
                if (sp != null) {
                    phiQ = new double[p.qSeq() * 2 * m];
                    phiK = new double[p.kvSeq() * 2 * m];
                    for (int i = 0; i < p.qSeq(); i++) {
                        Formulas.projections(x.q(), qOffset(p, b, h, i), d, sp.w1, sp.w2, sp.wOffset(b), sp.heads, h, m, sp.frequencyScale,
                                phiQ, i * 2 * m);
                    }
                    for (int j = 0; j < p.kvSeq(); j++) {
                        Formulas.projections(x.k(), kOffset(p, b, kh, j), d, sp.w1, sp.w2, sp.wOffset(b), sp.heads, h, m, sp.frequencyScale,
                                phiK, j * 2 * m);
                    }
                }
                for (int i = 0; i < p.qSeq(); i++) {
                    for (int j = 0; j < p.kvSeq(); j++) {
                        double v = sp == null
                                ? Formulas.rbfLogKernel(x.q(), qOffset(p, b, h, i), x.k(), kOffset(p, b, kh, j), d, tau)
                                : Math.log(Formulas.shiftInvariantKernel(phiQ, i * 2 * m, phiK, j * 2 * m, m) + sp.eps);
                        logK.set(b, h, i, j, (float) v);
                    }
                }
            }
        }
        return new KernelFactors(logK, iq, ik);
    }

    private static int qOffset(AttentionProblem p, int b, int h, int i) {
        return ((b * p.qHeads() + h) * p.qSeq() + i) * p.dim();
    }

    private static int kOffset(AttentionProblem p, int b, int kh, int j) {
        return ((b * p.kvHeads() + kh) * p.kvSeq() + j) * p.dim();
    }

    /** kappa itself: exp(logKernel) (for the spectral kernels, kappa + eps). */
    public Tensor kernel() {
        float[] a = logKernel.toArray();
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.exp(a[i]);
        return Tensor.bhsd(a, logKernel.batch(), logKernel.heads(), logKernel.seq(), logKernel.dim());
    }

    /** exp(I(q_i)), the query's importance weight (it cancels in the softmax). */
    public Tensor queryWeight() {
        return exp(queryImportance);
    }

    /** exp(I(k_j)), the key's importance weight. */
    public Tensor keyWeight() {
        return exp(keyImportance);
    }

    private static Tensor exp(Tensor t) {
        float[] a = t.toArray();
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.exp(a[i]);
        return Tensor.bhsd(a, t.batch(), t.heads(), t.seq(), t.dim());
    }
}
