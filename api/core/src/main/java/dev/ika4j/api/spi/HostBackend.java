/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Support;
import dev.ika4j.api.Tensor;
import java.util.Objects;

/**
 * Base of the CPU backends: their "resident" memory is the Java heap, so upload and download are
 * copies and both call forms end in {@link #compute}.
 */
public abstract class HostBackend implements AttentionBackend {
    /** Set by {@link #close}: every later call fails, on every host backend alike. */
    private volatile boolean closed;

    /** An IllegalStateException once the backend is closed. */
    protected final void checkOpen() {
        if (closed) throw new IllegalStateException("the " + name() + " backend is closed");
    }

    /**
     * Computes the problem into {@code out} ([batch, q_heads, q_seq, v_dim]) and, when not null,
     * the logits into {@code energy} ([batch, q_heads, q_seq, total_kv_seq]).
     *
     * @return the kernel's regulariser (0 for kernels without one)
     */
    protected abstract double compute(AttentionProblem p, Tensor out, Tensor energy);

    /**
     * What this backend does not compute among valid calls (of any dtype: every host backend reads
     * tensors through their widening accessors); yes unless a backend overrides it. Called with arguments that {@link AttentionProblem#validate} accepted.
     */
    protected Support supportsValid(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        return Support.yes();
    }

    /**
     * Whether {@link #compute} applies a neighbourhood itself as a mask over the dense rows (the
     * reference does, from the definition); otherwise calls with one go through
     * {@link NeighbourhoodGather}, in time proportional to the visible pairs.
     */
    protected boolean neighbourhoodsAsMask() {
        return false;
    }

    /**
     * Whether {@link #compute} applies this problem's banded neighbourhood itself, skipping the keys
     * outside the band (asked only for a banded problem); otherwise it goes through
     * {@link NeighbourhoodGather} like a CSR one.
     */
    protected boolean bandsInCompute(AttentionProblem p) {
        return false;
    }

    /** Whether {@code p}'s neighbourhood is computed bucket by bucket rather than by {@link #compute}. */
    private boolean gathers(AttentionProblem p) {
        dev.ika4j.api.Neighbourhood n = p.neighbourhood();
        return n != null && !neighbourhoodsAsMask() && !(n.isBanded() && bandsInCompute(p));
    }

    @Override
    public Support supports(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        AttentionProblem.validate(q, k, v, options);
        return supportsValid(q, k, v, options)
                .and(neighbourhoodsAsMask() ? Support.yes() : SupportChecks.gatherable(name(), options));
    }

    /**
     * Computes standard attention's scores at stage {@link AttentionProblem#scoresOutput} into
     * {@code scores} ([batch, q_heads, q_seq, total_kv_seq], heap BHSD), apart from the attention
     * itself: the fused kernels never form the score matrix, so asking for it costs this one
     * extra pass and leaves them alone. Called only for the standard kernel with kv_seq >= 1.
     */
    protected void computeScores(AttentionProblem p, Tensor scores) {
        throw new UnsupportedOperationException(name() + " backend: the scores output (" + p.scoresOutput()
                + ") is not implemented");
    }

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        checkOpen();
        supports(q, k, v, options).orThrow();
        AttentionProblem p = AttentionProblem.of(q, k, v, options);
        Tensor out = q.like(p.outputDType(), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        Tensor energy = p.returnEnergy() ? Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), Math.max(p.kvSeq(), 1)) : null;
        double reg = gathers(p) ? NeighbourhoodGather.forward(p, this::compute, out, energy) : compute(p, out, energy);
        // Without keys, energy keeps one column (a tensor's dim cannot be 0): a key that does not
        // exist is masked, so it holds -inf, as every masked logit does.
        if (energy != null && p.kvSeq() == 0) java.util.Arrays.fill(energy.array(), Float.NEGATIVE_INFINITY);
        Tensor scores = null;
        if (p.scoresOutput() != null) {
            // Like energy, a call without keys gets one (masked) column rather than an empty tensor.
            scores = Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), Math.max(p.kvSeq(), 1));
            if (p.kvSeq() > 0) computeScores(p, scores);
            else java.util.Arrays.fill(scores.array(), p.noKeyScore());
        }
        return new AttentionResult(out, p.presentKey(), p.presentValue(), energy, reg, scores);
    }


    @Override
    public ResidentTensor allocate(int batch, int heads, int seq, int dim) {
        checkOpen();
        return new HostResident(name(), Tensor.zerosBhsd(batch, heads, seq, dim));
    }

    @Override
    public ResidentTensor upload(Tensor host) {
        checkOpen();
        Objects.requireNonNull(host, "host");
        return new HostResident(name(), host.copy());
    }

    @Override
    public void download(ResidentTensor src, Tensor host) {
        checkOpen();
        Tensor t = own(src, "src");
        Objects.requireNonNull(host, "host");
        if (t.batch() != host.batch() || t.heads() != host.heads() || t.seq() != host.seq() || t.dim() != host.dim()) {
            throw new IllegalArgumentException("download: src " + src.shapeString() + " and host " + host.shapeString()
                    + " differ in shape");
        }
        float[] row = new float[t.dim()];
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = 0; s < t.seq(); s++) {
                    t.readRow(b, h, s, row, 0);
                    host.writeRow(b, h, s, row, 0);
                }
    }

    @Override
    public void attention(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions options, ResidentTensor out) {
        checkOpen();
        Tensor tq = own(q, "q"), tk = own(k, "k"), tv = own(v, "v"), to = own(out, "out");
        AttentionProblem p = AttentionProblem.ofShapes(tq, tk, tv, options);
        supportsValid(tq, tk, tv, options).and(neighbourhoodsAsMask() ? Support.yes() : SupportChecks.gatherable(name(), options))
                .orThrow();
        if (to.batch() != p.batch() || to.heads() != p.qHeads() || to.seq() != p.qSeq() || to.dim() != p.vDim()) {
            throw new IllegalArgumentException("out " + out.shapeString() + " must have shape " + p.outputShape());
        }
        if (gathers(p)) NeighbourhoodGather.forward(p, this::compute, to, null);
        else compute(p, to, null);
    }

    private Tensor own(ResidentTensor r, String arg) {
        Objects.requireNonNull(r, arg);
        if (!(r instanceof HostResident h) || !h.backend().equals(name())) {
            throw new IllegalArgumentException(arg + " " + r.shapeString() + " belongs to backend '" + r.backend()
                    + "', not '" + name() + "'");
        }
        return h.tensor();
    }

    /** Marks the backend closed; subclasses that hold resources release them and call this. */
    @Override
    public void close() {
        closed = true;
    }

    /** A heap tensor standing in for backend-resident memory. */
    public static final class HostResident implements ResidentTensor {
        private final String backend;
        private volatile Tensor tensor;

        public HostResident(String backend, Tensor tensor) {
            this.backend = backend;
            this.tensor = tensor;
        }

        public Tensor tensor() {
            Tensor t = tensor;
            if (t == null) throw new IllegalStateException("resident tensor of backend '" + backend + "' is closed");
            return t;
        }

        @Override public int batch() { return tensor().batch(); }
        @Override public int heads() { return tensor().heads(); }
        @Override public int seq() { return tensor().seq(); }
        @Override public int dim() { return tensor().dim(); }
        @Override public String backend() { return backend; }
        @Override public void close() { tensor = null; }
    }
}
