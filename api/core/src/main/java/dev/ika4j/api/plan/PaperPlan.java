package dev.ika4j.api.plan;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;

/**
 * One call of a paper kernel with everything that does not depend on the (query, key) pair
 * resolved, in float64: the checks against the call's shapes, tau, and for the spectral kernels the
 * spectral points W1, W2 (drawn, generated and copula-coupled as the kernel says) and the
 * regulariser. Every CPU backend builds its call from this, so all of them use the same W for the
 * same noise; a seeded training-mode kernel takes its next draw here, once per call.
 */
public final class PaperPlan {
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

    /** Checks the call against the kernel and resolves it; {@code p.kernel()} must be a {@link PaperKernel}. */
    public static PaperPlan of(AttentionProblem p) {
        if (!(p.kernel() instanceof PaperKernel kernel)) {
            throw new IllegalArgumentException("kernel '" + p.kernel().name() + "' is not one of the paper's kernels");
        }
        if (p.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + p.softcap() + ") applies to the standard kernel only, not '"
                    + kernel.name() + "'");
        }
        return switch (kernel) {
            case RbfImportanceKernel k -> new PaperPlan(k, Form.RBF, k.p(), k.resolveTau(p.scale()), null, 0, null, null,
                    false, p.qHeads(), p.dim(), null, null, null, 0.0);
            case IkaDirectKernel k -> direct(p, k);
            case IkaGeneratorKernel k -> generator(p, k);
            case CopulaKernel k -> copula(p, k);
        };
    }

    private static void checkSpectral(AttentionProblem p, PaperKernel k, IkaOptions o) {
        if (o.linear() && p.mask() != null) {
            throw new IllegalArgumentException("'" + k.name() + "' in linear-time mode supports causal and kvLengths but not an"
                    + " attention mask (" + p.mask() + "); drop the mask or the linear option");
        }
        if (o.linear() && p.returnEnergy()) {
            throw new IllegalArgumentException("'" + k.name() + "' in linear-time mode never forms the [q_seq, kv_seq] logits, so"
                    + " it cannot return the energy; drop returnEnergy or the linear option");
        }
    }

    private static String qShape(AttentionProblem p) {
        return p.q().shapeString();
    }

    private static PaperPlan direct(AttentionProblem p, IkaDirectKernel k) {
        IkaOptions o = k.options();
        checkSpectral(p, k, o);
        if (k.headDim() != p.dim() || k.heads() != p.qHeads()) {
            throw new IllegalArgumentException("w1/w2 " + k.w1().shapeString() + " must be [d, q_heads, M] = [" + p.dim() + ", "
                    + p.qHeads() + ", M] for Q " + qShape(p));
        }
        return new PaperPlan(k, Form.SPECTRAL, o.p(), o.resolveTau(p.scale()), o, k.samples(), k.w1().toArray(),
                k.w2().toArray(), false, p.qHeads(), p.dim(), null, null, null, 0.0);
    }

    private static void checkGenerator(String which, SpectralGenerator g, AttentionProblem p) {
        if (g.headDim() != p.dim()) {
            throw new IllegalArgumentException(which + " maps d = " + g.headDim() + " but Q " + qShape(p) + " has head_dim " + p.dim());
        }
    }

    private static PaperPlan generator(AttentionProblem p, IkaGeneratorKernel k) {
        IkaOptions o = k.options();
        checkSpectral(p, k, o);
        checkGenerator("g1", k.g1(), p);
        checkGenerator("g2", k.g2(), p);
        int m = k.samples();
        ParamTensor z = k.noise().next(p.dim(), p.qHeads(), m);
        double[] zv = z.toArray();
        double[] w1 = PaperMath.generate(k.g1(), zv, 1, p.qHeads() * m);
        double[] w2 = PaperMath.generate(k.g2(), zv, 1, p.qHeads() * m);
        return new PaperPlan(k, Form.SPECTRAL, o.p(), o.resolveTau(p.scale()), o, m, w1, w2, false, p.qHeads(), p.dim(), zv, null,
                null, 0.0);
    }

    private static PaperPlan copula(AttentionProblem p, CopulaKernel k) {
        IkaOptions o = k.options();
        checkSpectral(p, k, o);
        if (k.net().headDim() != p.dim()) {
            throw new IllegalArgumentException("the copula net maps d = " + k.net().headDim() + " but Q " + qShape(p)
                    + " has head_dim " + p.dim());
        }
        checkGenerator("g1", k.g1(), p);
        checkGenerator("g2", k.g2(), p);
        int m = k.samples();
        double[] pooled = PaperMath.pool(flat(p.q()), flat(p.presentKey()), p.batch(), p.qHeads(), p.kvHeads(), p.qSeq(), p.kvSeq(), p.dim(),
                p.kvLengths());
        PaperMath.CopulaParams cp = PaperMath.encode(k.net(), pooled, p.batch(), p.qHeads(), k.priorVar());
        double[] eps = k.noise().next(p.batch(), p.dim(), p.qHeads(), m).toArray();
        Preset preset = o.preset();
        PaperMath.CopulaSample s = PaperMath.sample(cp, eps, m, preset);
        double[] w1 = PaperMath.generate(k.g1(), s.z(), p.batch(), p.qHeads() * m);
        double[] w2 = PaperMath.generate(k.g2(), s.z(), p.batch(), p.qHeads() * m);
        double reg = k.klLambda() * PaperMath.klDivergence(cp, k.priorVar(), preset)
                + k.copulaLambda() * PaperMath.copulaEntropy(s.u(), preset);
        return new PaperPlan(k, Form.SPECTRAL, o.p(), o.resolveTau(p.scale()), o, m, w1, w2, true, p.qHeads(), p.dim(), eps, cp, s,
                reg);
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
