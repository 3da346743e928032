package dev.ika4j.api.kernel;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.plan.PaperMath;
import dev.ika4j.api.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Objects;

/**
 * The two factors of a paper kernel's attention weights, for inspection: the similarity kappa and
 * the importance I, with logit_ij = logKernel_ij + I(q_i) + I(k_j) before masks, so that
 * softmax_j(logit_ij) (masked as the call masks it) is the attention the call computes.
 *
 * <p>For {@link RbfImportanceKernel} logKernel = -|q - k|^2 / (2 tau), the log of the RBF kernel;
 * for the spectral kernels logKernel = log(kappa + eps). Computed in float64 by the reference
 * formulas and stored as float32.
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
        PaperPlan plan = PaperPlan.of(p);
        int d = p.dim;
        Tensor logK = Tensor.zeros(p.batch, p.qHeads, p.qSeq, Math.max(1, p.kvSeq));
        Tensor iq = Tensor.zeros(p.batch, p.qHeads, p.qSeq, 1);
        Tensor ik = Tensor.zeros(p.batch, p.kvHeads, Math.max(1, p.kvSeq), 1);
        for (int b = 0; b < p.batch; b++) {
            for (int kh = 0; kh < p.kvHeads; kh++) {
                double[] kr = PaperPlan.rows(p.presentKey, b, kh, p.kvSeq);
                for (int j = 0; j < p.kvSeq; j++) ik.set(b, kh, j, 0, (float) PaperMath.importance(kr, j * d, d, plan.p, plan.tau));
            }
            for (int h = 0; h < p.qHeads; h++) {
                double[] qr = PaperPlan.rows(p.q, b, h, p.qSeq), kr = PaperPlan.rows(p.presentKey, b, p.kvHead(h), p.kvSeq);
                for (int i = 0; i < p.qSeq; i++) iq.set(b, h, i, 0, (float) PaperMath.importance(qr, i * d, d, plan.p, plan.tau));
                double[] phiQ = null, phiK = null;
                int m = plan.samples;
                if (plan.form == PaperPlan.Form.SPECTRAL) {
                    phiQ = plan.phis(qr, p.qSeq, b, h);
                    phiK = plan.phis(kr, p.kvSeq, b, h);
                }
                for (int i = 0; i < p.qSeq; i++) {
                    for (int j = 0; j < p.kvSeq; j++) {
                        double v = plan.form == PaperPlan.Form.RBF
                                ? PaperMath.rbfLogKernel(qr, i * d, kr, j * d, d, plan.tau)
                                : Math.log(PaperMath.spectralKernel(phiQ, i * 2 * m, phiK, j * 2 * m, m) + plan.eps);
                        logK.set(b, h, i, j, (float) v);
                    }
                }
            }
        }
        return new KernelFactors(logK, iq, ik);
    }

    /** kappa itself: exp(logKernel) (for the spectral kernels, kappa + eps). */
    public Tensor kernel() {
        float[] a = logKernel.toArray();
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.exp(a[i]);
        return Tensor.of(a, logKernel.batch(), logKernel.heads(), logKernel.seq(), logKernel.dim());
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
        return Tensor.of(a, t.batch(), t.heads(), t.seq(), t.dim());
    }
}
