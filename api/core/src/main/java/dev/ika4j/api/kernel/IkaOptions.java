/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

import java.util.Objects;

/**
 * The hyper-parameters of the implicit-kernel logit (section 3 of the paper), shared by
 * {@link IkaDirectKernel}, {@link IkaGeneratorKernel} and {@link CopulaKernel}:
 *
 * <pre>
 *   a = c W1^T x,  b = c W2^T x,  phi(x) = [cos a + cos b ; sin a + sin b]          (2M values)
 *   kappa(q, k) = (phi(q) . phi(k) / (4M))^2
 *   logit(q, k) = log(kappa(q, k) + eps) + |q|_p^2 / (2 tau) + |k|_p^2 / (2 tau)
 * </pre>
 *
 * @param frequencyScale c, the factor on the spectral points (2 pi in the authors' code)
 * @param p              order of the importance norm, > 0 (infinity: the max norm)
 * @param preset         which reading of the formulas; sets tau unless {@code tau} is given
 * @param tau            importance temperature, or null for the preset's: {@link Preset#PAPER}
 *                       1/scale (sqrt(d) at the default scale), {@link Preset#AUTHORS} sqrt(1/scale)
 *                       (d^(1/4) at the default scale, as the authors' code divides by
 *                       2 sqrt(sqrt(d)))
 * @param eps            added to kappa inside the log, >= 0 (1e-5 in the authors' code)
 * @param linear         compute in linear time from running sums over keys (section 6): exact,
 *                       since kappa is a square; supports causal and kvLengths, not an arbitrary
 *                       mask nor returned energy
 * @param importanceDropout dropout on the importance term in training ({@link ImportanceDropout}),
 *                       or null for none; the linear-time mode refuses an active one
 */
public record IkaOptions(double frequencyScale, double p, Preset preset, Double tau, double eps, boolean linear,
                         ImportanceDropout importanceDropout) {
    public static final double DEFAULT_EPS = 1e-5;
    public static final IkaOptions DEFAULT = builder().build();

    public IkaOptions {
        Checks.finite("frequencyScale (c)", frequencyScale);
        Checks.normOrder(p);
        Objects.requireNonNull(preset, "preset");
        if (tau != null) Checks.positive("tau", tau);
        Checks.nonNegative("eps", eps);
        Checks.float32("eps", eps);
        if (linear && importanceDropout != null && importanceDropout.active()) {
            throw new IllegalArgumentException("importance dropout (" + importanceDropout + ") masks each (query, key) pair, which"
                    + " the linear-time mode never forms (it sums over the keys before it sees a query); drop the dropout or"
                    + " the linear option");
        }
    }

    /** The options without the linear-time mode and importance dropout as before (the six-argument form). */
    public IkaOptions(double frequencyScale, double p, Preset preset, Double tau, double eps, boolean linear) {
        this(frequencyScale, p, preset, tau, eps, linear, null);
    }

    /**
     * The temperature for a call whose logit scale is {@code scale} (1/sqrt(d) unless the call set
     * one): the explicit tau, else the preset's.
     */
    public double resolveTau(double scale) {
        if (tau != null) return tau;
        double t = preset == Preset.PAPER ? 1.0 / scale : Math.sqrt(1.0 / scale);
        if (!(t > 0) || Double.isNaN(t)) throw new IllegalArgumentException("scale " + scale + " gives no usable tau; set tau explicitly");
        return t;
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.frequencyScale = frequencyScale;
        b.p = p;
        b.preset = preset;
        b.tau = tau;
        b.eps = eps;
        b.linear = linear;
        b.importanceDropout = importanceDropout;
        return b;
    }

    @Override
    public String toString() {
        return "c=" + frequencyScale + ", p=" + p + ", preset=" + preset.label() + ", tau=" + (tau == null ? "preset" : tau)
                + ", eps=" + eps + (linear ? ", linear" : "")
                + (importanceDropout == null ? "" : ", importance dropout " + importanceDropout.rate()
                        + (importanceDropout.training() ? " (training, seed " + importanceDropout.seed() + ")" : " (inference)"));
    }

    public static final class Builder {
        private double frequencyScale = 2 * Math.PI;
        private double p = 2.0;
        private Preset preset = Preset.PAPER;
        private Double tau;
        private double eps = DEFAULT_EPS;
        private boolean linear;
        private ImportanceDropout importanceDropout;

        private Builder() {}

        public Builder frequencyScale(double c) { this.frequencyScale = c; return this; }
        public Builder p(double p) { this.p = p; return this; }
        public Builder preset(Preset preset) { this.preset = preset; return this; }
        /** An explicit temperature; null restores the preset's. */
        public Builder tau(Double tau) { this.tau = tau; return this; }
        public Builder eps(double eps) { this.eps = eps; return this; }
        public Builder linear(boolean linear) { this.linear = linear; return this; }
        /** Dropout on the importance term in training; null for none. */
        public Builder importanceDropout(ImportanceDropout d) { this.importanceDropout = d; return this; }
        public IkaOptions build() { return new IkaOptions(frequencyScale, p, preset, tau, eps, linear, importanceDropout); }
    }
}
