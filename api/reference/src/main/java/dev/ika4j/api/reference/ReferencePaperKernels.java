package dev.ika4j.api.reference;

import dev.ika4j.api.plan.PaperMath;
import dev.ika4j.api.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * The paper's logits for one (batch, query head), in float64 straight from the formulas
 * ({@link PaperMath}); the linear-time option changes nothing here, the oracle always forms the
 * full [q_seq, kv_seq] logits.
 */
final class ReferencePaperKernels {
    private ReferencePaperKernels() {}

    /** Raw logits [q_seq][kv_seq] of (b, h) before masking. */
    static double[][] logits(AttentionProblem p, PaperPlan plan, int b, int h) {
        int kh = p.kvHead(h), d = p.dim;
        double[] q = PaperPlan.rows(p.q, b, h, p.qSeq), k = PaperPlan.rows(p.presentKey, b, kh, p.kvSeq);
        double[] iq = new double[p.qSeq], ik = new double[p.kvSeq];
        for (int i = 0; i < p.qSeq; i++) iq[i] = PaperMath.importance(q, i * d, d, plan.p, plan.tau);
        for (int j = 0; j < p.kvSeq; j++) ik[j] = PaperMath.importance(k, j * d, d, plan.p, plan.tau);
        double[][] s = new double[p.qSeq][p.kvSeq];
        if (plan.form == PaperPlan.Form.RBF) {
            for (int i = 0; i < p.qSeq; i++)
                for (int j = 0; j < p.kvSeq; j++)
                    s[i][j] = PaperMath.rbfLogKernel(q, i * d, k, j * d, d, plan.tau) + iq[i] + ik[j];
            return s;
        }
        int m = plan.samples;
        double[] phiQ = plan.phis(q, p.qSeq, b, h), phiK = plan.phis(k, p.kvSeq, b, h);
        for (int i = 0; i < p.qSeq; i++)
            for (int j = 0; j < p.kvSeq; j++)
                s[i][j] = PaperMath.ikaLogit(PaperMath.spectralKernel(phiQ, i * 2 * m, phiK, j * 2 * m, m), plan.eps, iq[i], ik[j]);
        return s;
    }
}
