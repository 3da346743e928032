/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spectral points W1, W2 of one call of a spectral kernel, derived in float64 from parameter
 * values by name (so that they can be perturbed) with the reference's own formulas: IKA-direct
 * reads them; the generator kernel runs {@link GeneratorMlp} on every noise column z of [d, heads,
 * M] (column (h, s) is z[., h, s]); the copula kernel pools, encodes and couples with
 * {@link CopulaDraw} and runs the generators on its z per batch. The backward pass takes dW1, dW2
 * (and the regulariser's weight) back to the parameters and, for the copula, to q and k.
 *
 * <p>Noise is drawn exactly as the production plan draws it (one {@code next(d, heads, M)} for
 * the generator kernel, one {@code next(batch, d, heads, M)} for the copula), so both see the
 * same numbers. A backward pass must see the forward's noise: fixed noise or an inference-mode
 * seed; a training-mode seed draws afresh on every call and is rejected there.
 */
final class SpectralW {
    /** [batch, d, heads, M] when {@link #perBatch}, else [d, heads, M]. */
    final double[] w1, w2;
    final boolean perBatch;
    final int batch, dim, heads, samples;
    /** The importance's order and temperature, eps inside the log, frequency scale c. */
    final double p, tau, eps, frequencyScale;
    /** The kernel's regulariser (copula: kl_lambda KL + copula_lambda H(u)), else 0. */
    final double regularizer;

    private final PaperKernel kernel;
    private final Map<String, double[]> values;
    private final double[] noise;
    private final CopulaDraw copula;
    private final AttentionProblem problem;

    private SpectralW(AttentionProblem pr, PaperKernel kernel, Map<String, double[]> values, double[] w1, double[] w2,
                      boolean perBatch, int samples, double[] noise, CopulaDraw copula, double regularizer) {
        IkaOptions o = switch (kernel) {
            case IkaDirectKernel k -> k.options();
            case IkaGeneratorKernel k -> k.options();
            case CopulaKernel k -> k.options();
            default -> throw new IllegalArgumentException("kernel '" + kernel.name() + "' has no spectral points");
        };
        this.problem = pr;
        this.kernel = kernel;
        this.values = values;
        this.w1 = w1;
        this.w2 = w2;
        this.perBatch = perBatch;
        this.batch = pr.batch();
        this.dim = pr.dim();
        this.heads = pr.qHeads();
        this.samples = samples;
        this.p = o.p();
        this.tau = o.resolveTau(pr.scale());
        this.eps = o.eps();
        this.frequencyScale = o.frequencyScale();
        this.noise = noise;
        this.copula = copula;
        this.regularizer = regularizer;
    }

    /** Offset of batch b's [d, heads, M] block in {@link #w1} and {@link #w2}. */
    int wOffset(int b) {
        return perBatch ? b * dim * heads * samples : 0;
    }

    /**
     * The spectral points of {@code pr}'s kernel with the parameter {@code values} (names as
     * {@link Parameters#of}; a missing one keeps the kernel's value); q and k are the call's
     * float64 queries [batch, q_heads, q_seq, d] and present keys [batch, kv_heads, kv_seq, d].
     * With {@code oneDraw} a training-mode seed takes its next draw (a forward call); without it
     * such a seed is rejected, since a backward pass must see the forward's draw.
     */
    static SpectralW of(AttentionProblem pr, Map<String, double[]> values, double[] q, double[] k, boolean oneDraw) {
        if (pr.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + pr.softcap() + ") applies to the standard kernel only, not '"
                    + pr.kernel().name() + "'");
        }
        Map<String, double[]> vals = new LinkedHashMap<>(Parameters.of(pr.kernel()));
        vals.putAll(values);
        int d = pr.dim(), heads = pr.qHeads();
        if (pr.kernel() instanceof IkaDirectKernel kd) {
            if (kd.headDim() != d || kd.heads() != heads) {
                throw new IllegalArgumentException("w1/w2 " + kd.w1().shapeString() + " must be [d, q_heads, M] = [" + d + ", "
                        + heads + ", M] for Q " + pr.q().shapeString());
            }
            int n = d * heads * kd.samples();
            return new SpectralW(pr, kd, vals, Parameters.sized(vals, "w1", n), Parameters.sized(vals, "w2", n), false,
                    kd.samples(), null, null, 0.0);
        }
        if (pr.kernel() instanceof IkaGeneratorKernel kg) {
            int m = kg.samples();
            checkDim("g1", kg.g1().headDim(), pr);
            checkDim("g2", kg.g2().headDim(), pr);
            double[] z = draw(kg.noise(), kg.name(), oneDraw, d, heads, m);
            return new SpectralW(pr, kg, vals, generate(new GeneratorMlp("g1", vals, d), z, 1, d, heads * m),
                    generate(new GeneratorMlp("g2", vals, d), z, 1, d, heads * m), false, m, z, null, 0.0);
        }
        if (pr.kernel() instanceof CopulaKernel kc) {
            int m = kc.samples();
            checkDim("the copula net", kc.net().headDim(), pr);
            checkDim("g1", kc.g1().headDim(), pr);
            checkDim("g2", kc.g2().headDim(), pr);
            double[] pooled = CopulaDraw.pool(q, k, pr.batch(), heads, pr.kvHeads(), pr.qSeq(), pr.kvSeq(), d, pr.kvLengths());
            double[] e = draw(kc.noise(), kc.name(), oneDraw, pr.batch(), d, heads, m);
            CopulaDraw c = new CopulaDraw(vals, pooled, e, pr.batch(), d, heads, m, kc.priorVar(), kc.options().preset());
            double reg = kc.klLambda() * c.kl + kc.copulaLambda() * c.entropy;
            return new SpectralW(pr, kc, vals, generate(new GeneratorMlp("g1", vals, d), c.z, pr.batch(), d, heads * m),
                    generate(new GeneratorMlp("g2", vals, d), c.z, pr.batch(), d, heads * m), true, m, e, c, reg);
        }
        throw new IllegalArgumentException("kernel '" + pr.kernel().name() + "' has no spectral points");
    }

    /** The generator on every column of z [outer, d, inner]: column (o, t) is z[o, ., t]. */
    private static double[] generate(GeneratorMlp g, double[] z, int outer, int d, int inner) {
        double[] out = new double[z.length], col = new double[d];
        for (int o = 0; o < outer; o++) {
            for (int t = 0; t < inner; t++) {
                for (int r = 0; r < d; r++) col[r] = z[(o * d + r) * inner + t];
                double[] w = g.apply(col);
                for (int r = 0; r < d; r++) out[(o * d + r) * inner + t] = w[r];
            }
        }
        return out;
    }

    /** Adds the generator's parameter gradients for dOmega [outer, d, inner]; returns dz, same layout. */
    private double[] generatorBackward(String prefix, double[] z, int outer, double[] dOmega, Map<String, double[]> grads) {
        GeneratorMlp g = new GeneratorMlp(prefix, values, dim);
        int inner = heads * samples;
        double[] dz = new double[z.length], col = new double[dim], dcol = new double[dim];
        for (int o = 0; o < outer; o++) {
            for (int t = 0; t < inner; t++) {
                boolean any = false;
                for (int r = 0; r < dim; r++) {
                    col[r] = z[(o * dim + r) * inner + t];
                    dcol[r] = dOmega[(o * dim + r) * inner + t];
                    any |= dcol[r] != 0;
                }
                if (!any) continue;
                double[] back = g.backward(col, dcol, grads);
                for (int r = 0; r < dim; r++) dz[(o * dim + r) * inner + t] += back[r];
            }
        }
        return dz;
    }

    private static void checkDim(String which, int d, AttentionProblem pr) {
        if (d != pr.dim()) {
            throw new IllegalArgumentException(which + " maps d = " + d + " but Q " + pr.q().shapeString() + " has head_dim " + pr.dim());
        }
    }

    private static double[] draw(NoiseSource n, String kernel, boolean oneDraw, int... shape) {
        if (!oneDraw && !n.isFixed() && n.mode() == NoiseSource.Mode.TRAINING) {
            throw new IllegalArgumentException("'" + kernel + "' with " + n + " draws fresh noise on every call, so a backward"
                    + " pass cannot see the forward's draw; pass that draw as NoiseSource.fixed(z) to both calls");
        }
        return n.next(shape).toArray();
    }

    /** Zero gradients for every parameter of the kernel, in {@link Parameters#of} order. */
    Map<String, double[]> zeroGradients() {
        Map<String, double[]> g = new LinkedHashMap<>();
        values.forEach((name, v) -> g.put(name, new double[v.length]));
        return g;
    }

    /**
     * Adds to {@code grads} (names as {@link #zeroGradients}) and to dq, dk (flat like the call's
     * q and present keys; the copula's pooling reaches them) the gradient of
     * {@code <dW1, W1> + <dW2, W2> + dRegularizer * regularizer}.
     */
    void backward(double[] dW1, double[] dW2, double dRegularizer, Map<String, double[]> grads, double[] dq, double[] dk) {
        if (kernel instanceof IkaDirectKernel) {
            for (int i = 0; i < dW1.length; i++) {
                grads.get("w1")[i] += dW1[i];
                grads.get("w2")[i] += dW2[i];
            }
        } else if (kernel instanceof IkaGeneratorKernel) {
            generatorBackward("g1", noise, 1, dW1, grads);
            generatorBackward("g2", noise, 1, dW2, grads);
        } else if (kernel instanceof CopulaKernel kc) {
            double[] dz = generatorBackward("g1", copula.z, batch, dW1, grads);
            double[] dz2 = generatorBackward("g2", copula.z, batch, dW2, grads);
            for (int i = 0; i < dz.length; i++) dz[i] += dz2[i];
            double[] dm = copula.backward(dz, dRegularizer * kc.klLambda(), dRegularizer * kc.copulaLambda(), grads);
            poolBackward(dm, dq, dk);
        } else {
            throw new IllegalStateException("kernel '" + kernel.name() + "' has no spectral points");
        }
    }

    /** m = [mean_i q_i ; mean_{j < len} k_j]: each pooled row's gradient spread evenly back. */
    private void poolBackward(double[] dm, double[] dq, double[] dk) {
        int qSeq = problem.qSeq(), kvSeq = problem.kvSeq(), kvHeads = problem.kvHeads(), d = dim;
        for (int b = 0; b < batch; b++) {
            int len = problem.kvLength(b);
            for (int h = 0; h < heads; h++) {
                int kh = h * kvHeads / heads, o = (b * heads + h) * 2 * d;
                for (int c = 0; c < d; c++) {
                    for (int i = 0; i < qSeq; i++) dq[((b * heads + h) * qSeq + i) * d + c] += dm[o + c] / qSeq;
                    for (int j = 0; j < len; j++) dk[((b * kvHeads + kh) * kvSeq + j) * d + c] += dm[o + d + c] / len;
                }
            }
        }
    }
}
