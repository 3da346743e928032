package dev.ika4j.cuda;

import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import dev.ika4j.api.plan.PaperMath;
import java.util.function.Supplier;

/**
 * One call of a paper kernel on the cuda backend with everything that does not depend on the
 * (query, key) pair resolved on the host in float64, from the reference's own pure functions
 * ({@link PaperMath}): tau, and for the spectral kernels W1, W2 (generated and copula-coupled as
 * the kernel says) and the regulariser. It mirrors {@link dev.ika4j.api.plan.PaperPlan} (same
 * checks, same messages, same W for the same noise) but takes the copula's pooled means and the
 * noise from the caller, so that resident calls pool on the device and seeded kernels draw with
 * cuRAND. A test checks it against {@code PaperPlan} on the host.
 */
final class CudaPaperPlan {
    /** Where the noise of a generator or copula kernel comes from for this call. */
    interface NoiseDraw {
        /** The call's noise of this shape: the caller's fixed noise, or a fresh draw for a seed. */
        ParamTensor draw(NoiseSource source, int... shape);
    }

    final PaperKernel kernel;
    final boolean spectral;
    /** Importance norm order and temperature. */
    final double p, tau;
    /** Spectral only: eps, frequency scale c, samples M, whether the call asked for linear time. */
    final double eps, frequencyScale;
    final int samples;
    final boolean linear;
    /** Spectral only: W1, W2 as [batch, d, heads, M] when {@link #perBatch}, else [d, heads, M]. */
    final double[] w1, w2;
    final boolean perBatch;
    final double regularizer;

    private CudaPaperPlan(PaperKernel kernel, boolean spectral, double p, double tau, IkaOptions o, int samples, double[] w1,
                          double[] w2, boolean perBatch, double regularizer) {
        this.kernel = kernel;
        this.spectral = spectral;
        this.p = p;
        this.tau = tau;
        this.eps = o == null ? 0 : o.eps();
        this.frequencyScale = o == null ? 0 : o.frequencyScale();
        this.linear = o != null && o.linear();
        this.samples = samples;
        this.w1 = w1;
        this.w2 = w2;
        this.perBatch = perBatch;
        this.regularizer = regularizer;
    }

    /**
     * Checks the call and resolves it.
     *
     * @param qShape  Q's shape string, for messages
     * @param energy  whether the call returns the energy
     * @param noise   the noise of generator and copula kernels
     * @param pooled  the copula's pooled means [batch, q_heads, 2d] (asked for only by copula kernels)
     */
    static CudaPaperPlan resolve(PaperKernel kernel, DeviceProblem p, String qShape, boolean energy, NoiseDraw noise,
                                 Supplier<double[]> pooled) {
        checkCall(kernel, p, energy);
        return switch (kernel) {
            case RbfImportanceKernel k -> new CudaPaperPlan(k, false, k.p(), k.resolveTau(p.scale()), null, 0, null, null,
                    false, 0.0);
            case IkaDirectKernel k -> {
                if (k.headDim() != p.dim() || k.heads() != p.qHeads()) {
                    throw new IllegalArgumentException("w1/w2 " + k.w1().shapeString() + " must be [d, q_heads, M] = ["
                            + p.dim() + ", " + p.qHeads() + ", M] for Q " + qShape);
                }
                IkaOptions o = k.options();
                yield new CudaPaperPlan(k, true, o.p(), o.resolveTau(p.scale()), o, k.samples(), k.w1().toArray(),
                        k.w2().toArray(), false, 0.0);
            }
            case IkaGeneratorKernel k -> {
                checkGenerator("g1", k.g1(), p, qShape);
                checkGenerator("g2", k.g2(), p, qShape);
                IkaOptions o = k.options();
                int m = k.samples();
                double[] z = noise.draw(k.noise(), p.dim(), p.qHeads(), m).toArray();
                yield new CudaPaperPlan(k, true, o.p(), o.resolveTau(p.scale()), o, m,
                        PaperMath.generate(k.g1(), z, 1, p.qHeads() * m), PaperMath.generate(k.g2(), z, 1, p.qHeads() * m),
                        false, 0.0);
            }
            case CopulaKernel k -> copula(k, p, qShape, noise, pooled);
        };
    }

    private static CudaPaperPlan copula(CopulaKernel k, DeviceProblem p, String qShape, NoiseDraw noise,
                                        Supplier<double[]> pooled) {
        if (k.net().headDim() != p.dim()) {
            throw new IllegalArgumentException("the copula net maps d = " + k.net().headDim() + " but Q " + qShape
                    + " has head_dim " + p.dim());
        }
        checkGenerator("g1", k.g1(), p, qShape);
        checkGenerator("g2", k.g2(), p, qShape);
        IkaOptions o = k.options();
        int m = k.samples();
        PaperMath.CopulaParams cp = PaperMath.encode(k.net(), pooled.get(), p.batch(), p.qHeads(), k.priorVar());
        double[] eps = noise.draw(k.noise(), p.batch(), p.dim(), p.qHeads(), m).toArray();
        PaperMath.CopulaSample s = PaperMath.sample(cp, eps, m, o.preset());
        double[] w1 = PaperMath.generate(k.g1(), s.z(), p.batch(), p.qHeads() * m);
        double[] w2 = PaperMath.generate(k.g2(), s.z(), p.batch(), p.qHeads() * m);
        double reg = k.klLambda() * PaperMath.klDivergence(cp, k.priorVar(), o.preset())
                + k.copulaLambda() * PaperMath.copulaEntropy(s.u(), o.preset());
        return new CudaPaperPlan(k, true, o.p(), o.resolveTau(p.scale()), o, m, w1, w2, true, reg);
    }

    /** What PaperPlan rejects before any work: softcap, and a mask or energy in linear-time mode. */
    private static void checkCall(PaperKernel k, DeviceProblem p, boolean energy) {
        if (p.softcap() > 0) {
            throw new IllegalArgumentException("softcap (" + p.softcap() + ") applies to the standard kernel only, not '"
                    + k.name() + "'");
        }
        IkaOptions o = switch (k) {
            case RbfImportanceKernel r -> null;
            case IkaDirectKernel d -> d.options();
            case IkaGeneratorKernel g -> g.options();
            case CopulaKernel c -> c.options();
        };
        if (o == null || !o.linear()) return;
        if (p.mask() != null) {
            throw new IllegalArgumentException("'" + k.name() + "' in linear-time mode supports causal and kvLengths but not an"
                    + " attention mask (" + p.mask() + "); drop the mask or the linear option");
        }
        if (energy) {
            throw new IllegalArgumentException("'" + k.name() + "' in linear-time mode never forms the [q_seq, kv_seq] logits, so"
                    + " it cannot return the energy; drop returnEnergy or the linear option");
        }
    }

    private static void checkGenerator(String which, SpectralGenerator g, DeviceProblem p, String qShape) {
        if (g.headDim() != p.dim()) {
            throw new IllegalArgumentException(which + " maps d = " + g.headDim() + " but Q " + qShape + " has head_dim " + p.dim());
        }
    }

    /**
     * c W laid out like W, in float64: the phases a = (c W)^T x differ from c (W^T x) by float64
     * rounding only, and the device then needs no multiply per phase.
     */
    static double[] scaled(double[] w, double c) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) out[i] = c * w[i];
        return out;
    }
}
