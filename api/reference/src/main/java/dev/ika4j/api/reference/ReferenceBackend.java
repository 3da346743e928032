package dev.ika4j.api.reference;

import dev.ika4j.api.plan.PaperPlan;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.HostBackend;
import java.util.Map;

/**
 * The oracle: every kernel written straight from its formula, accumulated in float64, one query row
 * at a time. Slow on purpose; clarity is its only job. Thread-safe (no mutable state).
 *
 * <p>Numerics: every product and sum in float64, each output rounded to float32 once; any finite
 * float32 input gives finite logits (|q_c k_c| is at most 1.2e77). The NaN rule is the one of
 * {@link dev.ika4j.api.AttentionBackend}: only keys whose logit is -inf are skipped.
 */
public final class ReferenceBackend extends HostBackend {
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("precision", "float64 accumulation", "threads", "1");
    }

    @Override
    protected double compute(AttentionProblem p, Tensor out, Tensor energy) {
        double[] logits = new double[p.kvSeq];
        double[] acc = new double[p.vDim];
        PaperPlan plan = p.kernel instanceof PaperKernel ? PaperPlan.of(p) : null;
        for (int b = 0; b < p.batch; b++) {
            for (int h = 0; h < p.qHeads; h++) {
                double[][] raw = rawLogits(p, plan, b, h);
                for (int i = 0; i < p.qSeq; i++) {
                    maskedLogits(p, b, h, i, raw[i], logits);
                    if (energy != null) {
                        for (int j = 0; j < p.kvSeq; j++) energy.set(b, h, i, j, (float) logits[j]);
                    }
                    softmaxValues(p, b, p.kvHead(h), logits, acc);
                    for (int c = 0; c < p.vDim; c++) out.set(b, h, i, c, (float) acc[c]);
                }
            }
        }
        return plan == null ? 0.0 : plan.regularizer;
    }

    @Override
    protected void computeScores(AttentionProblem p, Tensor scores) {
        ReferenceScores.compute(p, scores);
    }

    /**
     * The kernel's logits [q_seq][kv_seq] for one (batch, query head), before any masking; a paper
     * kernel's per-call state (W, noise) comes resolved in {@code plan}.
     */
    static double[][] rawLogits(AttentionProblem p, PaperPlan plan, int b, int h) {
        AttentionKernel kernel = p.kernel;
        return switch (kernel) {
            case StandardKernel s -> standardLogits(p, b, h);
            case PaperKernel k -> ReferencePaperKernels.logits(p, plan, b, h);
        };
    }

    /** scale * q.k, then softcap * tanh(score / softcap) when a softcap is set. */
    static double[][] standardLogits(AttentionProblem p, int b, int h) {
        int kh = p.kvHead(h);
        double[][] s = new double[p.qSeq][p.kvSeq];
        for (int i = 0; i < p.qSeq; i++) {
            for (int j = 0; j < p.kvSeq; j++) {
                double dot = 0;
                for (int c = 0; c < p.dim; c++) {
                    dot += (double) p.q.get(b, h, i, c) * p.presentKey.get(b, kh, j, c);
                }
                double score = p.scale * dot;
                if (p.softcap > 0) score = p.softcap * Math.tanh(score / p.softcap);
                s[i][j] = score;
            }
        }
        return s;
    }

    /**
     * Applies causal, valid lengths and the mask to one row of raw logits. A masked key's logit is
     * -inf whatever its raw value, so NaN in a masked key never reaches the output.
     */
    static void maskedLogits(AttentionProblem p, int b, int h, int i, double[] raw, double[] out) {
        int limit = p.keyLimit(b, i);
        for (int j = 0; j < p.kvSeq; j++) {
            double bias = j >= limit ? Double.NEGATIVE_INFINITY : p.mask == null ? 0.0 : p.mask.bias(b, h, i, j);
            out[j] = bias == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : raw[j] + bias;
        }
    }

    /**
     * acc = sum_j softmax(logits)_j v_j, with the max subtracted first. A row with no finite logit
     * (every key masked) gives zeros, the documented result on every backend.
     */
    static void softmaxValues(AttentionProblem p, int b, int kh, double[] logits, double[] acc) {
        java.util.Arrays.fill(acc, 0.0);
        double max = Double.NEGATIVE_INFINITY;
        boolean nan = false;
        for (int j = 0; j < p.kvSeq; j++) {
            if (Double.isNaN(logits[j])) nan = true;
            else max = Math.max(max, logits[j]);
        }
        if (nan) {
            java.util.Arrays.fill(acc, Double.NaN);
            return;
        }
        if (max == Double.NEGATIVE_INFINITY) return;
        double sum = 0;
        for (int j = 0; j < p.kvSeq; j++) {
            if (logits[j] == Double.NEGATIVE_INFINITY) continue;
            double w = Math.exp(logits[j] - max);
            sum += w;
            for (int c = 0; c < p.vDim; c++) acc[c] += w * p.presentValue.get(b, kh, j, c);
        }
        for (int c = 0; c < p.vDim; c++) acc[c] /= sum;
    }
}
