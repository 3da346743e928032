/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.internal.plan;

import dev.ika4j.api.spi.MaskRows;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One call of a paper kernel with everything that does not depend on the (query, key) pair
 * resolved, in float64: the checks against the call's shapes, tau, and for the spectral kernels the
 * spectral points W1, W2 (drawn, generated and copula-coupled as the kernel says) and the
 * regulariser. Every production backend builds its call from this (the cuda backend with its own
 * noise draws and device-side pooling), so all of them use the same W for the same noise and give
 * the same messages; a seeded training-mode kernel takes its next draw here, once per call. The
 * reference derives W on its own, so the backend-versus-reference tests check this plan.
 *
 * <p>Not user API: exported to the backends' modules only.
 */
public final class PaperPlan {
    /** Where the noise of a generator or copula kernel comes from for one call. */
    public interface NoiseDraw {
        /** The call's noise of this shape: the source's own draw, or a backend's draw for a seed. */
        ParamTensor draw(NoiseSource source, int... shape);
    }

    /**
     * The parts of a call the plan checks and resolves against.
     *
     * @param qShape Q's shape as the messages print it
     */
    public record Call(int batch, int qHeads, int dim, double scale, double softcap, MaskRows mask, boolean returnEnergy,
                       String qShape) {
        public static Call of(AttentionProblem p) {
            return new Call(p.batch(), p.qHeads(), p.dim(), p.scale(), p.softcap(), p.mask(), p.returnEnergy(), p.q().shapeString());
        }
    }

    /** The two logit forms: RBF (sections 1, 2) and spectral (sections 3 to 6). */
    public enum Form { RBF, SPECTRAL }

    public final PaperKernel kernel;
    public final Form form;
    /** Importance norm order and temperature. */
    public final double p, tau;
    /** Spectral only: eps, frequency scale c, samples M, linear-time mode. */
    public final double eps, frequencyScale;
    public final int samples;
    public final boolean linear;
    /** Spectral only: W1, W2 as [batch, d, q_heads, M] when {@link #perBatch}, else [d, q_heads, M]. */
    public final double[] w1, w2;
    public final boolean perBatch;
    /** Spectral only: the heads and head dim of W (the call's q_heads and dim). */
    public final int heads, dim;
    /** The noise this call used (generator: [d, heads, M]; copula: [batch, d, heads, M]), else null. */
    public final double[] noise;
    /** Copula only: the encoder's outputs and the samples, else null. */
    public final PaperMath.CopulaParams copula;
    public final PaperMath.CopulaSample copulaSample;
    /** The regulariser the kernel adds to the loss (copula: kl_lambda KL + copula_lambda H(u)), else 0. */
    public final double regularizer;

    private PaperPlan(PaperKernel kernel, Form form, double p, double tau, IkaOptions o, int samples, double[] w1, double[] w2,
                      boolean perBatch, int heads, int dim, double[] noise, PaperMath.CopulaParams copula,
                      PaperMath.CopulaSample sample, double regularizer) {
        this.kernel = kernel;
        this.form = form;
        this.p = p;
        this.tau = tau;
        this.eps = o == null ? 0 : o.eps();
        this.frequencyScale = o == null ? 0 : o.frequencyScale();
        this.linear = o != null && o.linear();
        this.samples = samples;
        this.w1 = w1;
        this.w2 = w2;
        this.perBatch = perBatch;
        this.heads = heads;
        this.dim = dim;
        this.noise = noise;
        this.copula = copula;
        this.copulaSample = sample;
        this.regularizer = regularizer;
    }

    /** Offset of batch b's [d, heads, M] block in {@link #w1} and {@link #w2}. */
    public int wOffset(int b) {
        return perBatch ? b * dim * heads * samples : 0;
    }

    /** Checks the call against the kernel and resolves it on the host; {@code p.kernel()} must be a {@link PaperKernel}. */
    public static PaperPlan of(AttentionProblem p) {
        return resolve(p.kernel(), Call.of(p), NoiseSource::next,
                () -> PaperMath.pool(flat(p.q()), flat(p.presentKey()), p.batch(), p.qHeads(), p.kvHeads(), p.qSeq(), p.kvSeq(), p.dim(),
                        p.kvLengths()));
    }

    /**
     * Checks the call against the kernel and resolves it.
     *
     * @param noise  the noise of generator and copula kernels
     * @param pooled the copula's pooled means [batch, q_heads, 2d] (asked for by copula kernels only)
     */
    public static PaperPlan resolve(AttentionKernel k, Call c, NoiseDraw noise, Supplier<double[]> pooled) {
        if (!(k instanceof PaperKernel kernel)) {
            throw new IllegalArgumentException("kernel '" + k.name() + "' is not one of the paper's kernels");
        }
        if (c.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + c.softcap() + ") applies to the standard kernel only, not '"
                    + kernel.name() + "'");
        }
        return switch (kernel) {
            case RbfImportanceKernel r -> new PaperPlan(r, Form.RBF, r.p(), r.resolveTau(c.scale()), null, 0, null, null,
                    false, c.qHeads(), c.dim(), null, null, null, 0.0);
            case IkaDirectKernel d -> direct(c, d);
            case IkaGeneratorKernel g -> generator(c, g, noise);
            case CopulaKernel cp -> copula(c, cp, noise, pooled);
        };
    }

    private static void checkSpectral(Call c, PaperKernel k, IkaOptions o) {
        if (o.linear() && c.mask() != null) {
            throw new IllegalArgumentException("'" + k.name() + "' in linear-time mode supports causal and kvLengths but not an"
                    + " attention mask (" + c.mask() + "); drop the mask or the linear option");
        }
        if (o.linear() && c.returnEnergy()) {
            throw new IllegalArgumentException("'" + k.name() + "' in linear-time mode never forms the [q_seq, kv_seq] logits, so"
                    + " it cannot return the energy; drop returnEnergy or the linear option");
        }
    }

    private static PaperPlan direct(Call c, IkaDirectKernel k) {
        IkaOptions o = k.options();
        checkSpectral(c, k, o);
        if (k.headDim() != c.dim() || k.heads() != c.qHeads()) {
            throw new IllegalArgumentException("w1/w2 " + k.w1().shapeString() + " must be [d, q_heads, M] = [" + c.dim() + ", "
                    + c.qHeads() + ", M] for Q " + c.qShape());
        }
        return new PaperPlan(k, Form.SPECTRAL, o.p(), o.resolveTau(c.scale()), o, k.samples(), k.w1().toArray(),
                k.w2().toArray(), false, c.qHeads(), c.dim(), null, null, null, 0.0);
    }

    private static void checkGenerator(String which, SpectralGenerator g, Call c) {
        if (g.headDim() != c.dim()) {
            throw new IllegalArgumentException(which + " maps d = " + g.headDim() + " but Q " + c.qShape() + " has head_dim "
                    + c.dim());
        }
    }

    private static PaperPlan generator(Call c, IkaGeneratorKernel k, NoiseDraw noise) {
        IkaOptions o = k.options();
        checkSpectral(c, k, o);
        checkGenerator("g1", k.g1(), c);
        checkGenerator("g2", k.g2(), c);
        int m = k.samples();
        double[] zv = noise.draw(k.noise(), c.dim(), c.qHeads(), m).toArray();
        double[] w1 = PaperMath.generate(k.g1(), zv, 1, c.qHeads() * m);
        double[] w2 = PaperMath.generate(k.g2(), zv, 1, c.qHeads() * m);
        return new PaperPlan(k, Form.SPECTRAL, o.p(), o.resolveTau(c.scale()), o, m, w1, w2, false, c.qHeads(), c.dim(), zv,
                null, null, 0.0);
    }

    private static PaperPlan copula(Call c, CopulaKernel k, NoiseDraw noise, Supplier<double[]> pooled) {
        IkaOptions o = k.options();
        checkSpectral(c, k, o);
        if (k.net().headDim() != c.dim()) {
            throw new IllegalArgumentException("the copula net maps d = " + k.net().headDim() + " but Q " + c.qShape()
                    + " has head_dim " + c.dim());
        }
        checkGenerator("g1", k.g1(), c);
        checkGenerator("g2", k.g2(), c);
        int m = k.samples();
        PaperMath.CopulaParams cp = PaperMath.encode(k.net(), pooled.get(), c.batch(), c.qHeads(), k.priorVar());
        double[] eps = noise.draw(k.noise(), c.batch(), c.dim(), c.qHeads(), m).toArray();
        Preset preset = o.preset();
        PaperMath.CopulaSample s = PaperMath.sample(cp, eps, m, preset);
        double[] w1 = PaperMath.generate(k.g1(), s.z(), c.batch(), c.qHeads() * m);
        double[] w2 = PaperMath.generate(k.g2(), s.z(), c.batch(), c.qHeads() * m);
        double reg = k.klLambda() * PaperMath.klDivergence(cp, k.priorVar(), preset)
                + k.copulaLambda() * PaperMath.copulaEntropy(s.u(), preset);
        return new PaperPlan(k, Form.SPECTRAL, o.p(), o.resolveTau(c.scale()), o, m, w1, w2, true, c.qHeads(), c.dim(), eps, cp,
                s, reg);
    }

    /** phi of each of {@code n} rows x [n, d] under (batch b, head h)'s spectral points: [n, 2M]. */
    public double[] phis(double[] x, int n, int b, int h) {
        if (form != Form.SPECTRAL) throw new IllegalStateException("'" + kernel.name() + "' has no spectral points");
        int m = samples;
        double[] out = new double[n * 2 * m];
        for (int i = 0; i < n; i++) {
            PaperMath.phi(x, i * dim, dim, w1, w2, wOffset(b), heads, h, m, frequencyScale, out, i * 2 * m);
        }
        return out;
    }

    /** Rows [0, n) of (b, h) of a tensor, widened to float64: [n, dim]. */
    public static double[] rows(Tensor t, int b, int h, int n) {
        int d = t.dim();
        float[] row = new float[d];
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            t.readRow(b, h, i, row, 0);
            for (int c = 0; c < d; c++) out[i * d + c] = row[c];
        }
        return out;
    }

    /** A tensor's values in BHSD order, widened to float64. */
    public static double[] flat(Tensor t) {
        float[] a = t.toArray();
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @Override
    public String toString() {
        return "PaperPlan{" + kernel.name() + ", p=" + p + ", tau=" + tau + (form == Form.SPECTRAL ? ", M=" + samples + ", eps=" + eps
                + ", c=" + frequencyScale + (linear ? ", linear" : "") + ", W " + (perBatch ? "per batch" : "shared") : "")
                + (regularizer != 0 ? ", reg=" + regularizer : "") + "}" + (noise == null ? "" : " noise " + noise.length
                + " values, first " + Arrays.toString(Arrays.copyOf(noise, Math.min(2, noise.length))));
    }
}
