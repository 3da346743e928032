/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.grad;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.spi.Gradients;
import dev.ika4j.simd.internal.WorkPool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The simd backend's backward pass: float32 on the Vector API, recomputing the softmax row by row
 * rather than storing it; standard attention and the spectral kernels (IKA-direct, generator,
 * copula, the linear-time mode), and the RBF/L^p kernels of sections 1 and 2 (as standard attention
 * with a per-key term, {@link RbfBackward}). Standard attention's and the RBF kernels' backward run on
 * the backend's threads, one (batch, KV head) per task, with results identical for any thread count;
 * the spectral kernels' on the calling thread. Thread-safe (no mutable state).
 */
public final class SimdTraining implements AttentionTraining {
    public static final String NAME = "simd";

    private final AttentionBackend backend;
    /** The backend's threads, or null for the calling thread alone. */
    private final WorkPool pool;
    /** Calls with a neighbourhood: recorded and differentiated bucket by bucket through this path. */
    private final AttentionTraining neighbourhoods = dev.ika4j.api.spi.NeighbourhoodTraining.wrap(this);

    /** The training path of {@code backend}, whose forward serves the kernels this path does not record. */
    public SimdTraining(AttentionBackend backend) {
        this(backend, null);
    }

    /** As above, the backward running on {@code pool}'s threads (the backend's own; null: the calling thread). */
    public SimdTraining(AttentionBackend backend, WorkPool pool) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.pool = pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The spectral kernels: their forward keeps the L x L products and weights for the backward. */
    private static boolean records(AttentionKernel kernel) {
        return (kernel instanceof IkaDirectKernel || kernel instanceof IkaGeneratorKernel || kernel instanceof CopulaKernel)
                && !linear(kernel);
    }

    /** The linear-time mode: its backward ({@link LinearSpectralBackward}) needs the inputs and the output only. */
    static boolean linear(AttentionKernel kernel) {
        return switch (kernel) {
            case IkaDirectKernel d -> d.options().linear();
            case IkaGeneratorKernel g -> g.options().linear();
            case CopulaKernel c -> c.options().linear();
            default -> false;
        };
    }

    @Override
    public Recording record(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        Objects.requireNonNull(options, "options");
        Gradients.checkRecordable(options);
        backend.supports(q, k, v, options).orThrow();
        if (options.neighbourhood() != null) return neighbourhoods.record(q, k, v, options);
        if (!records(options.kernel())) {
            // standard and RBF: the backward recomputes the softmax row by row, so keep the inputs only;
            // the linear-time mode keeps the output too
            return new Inputs(this, q, k, v, options, backend.attention(q, k, v, options));
        }
        AttentionProblem p = AttentionProblem.of(q, k, v, options);
        return new Recorded(this, SpectralBackward.forward(p), q, k, v, options);
    }

    @Override
    public AttentionGradients backward(Recording recording, Tensor dOut, double dRegularizer) {
        Objects.requireNonNull(recording, "recording");
        if (dev.ika4j.api.spi.NeighbourhoodTraining.gathered(recording)) return neighbourhoods.backward(recording, dOut, dRegularizer);
        return switch (recording) {
            case Recorded r when r.owner == this -> {
                AttentionProblem p = r.forward.p;
                Gradients.checkBackward(p, dOut, dRegularizer);
                Map<String, double[]> params = new LinkedHashMap<>();
                float[][] g = SpectralBackward.backward(r.forward, dOut, dRegularizer, params);
                yield assemble(p, r.q, r.k, r.v, r.options, g, params);
            }
            case Inputs in when in.owner == this && linear(in.options.kernel()) -> {
                AttentionProblem p = AttentionProblem.of(in.q, in.k, in.v, in.options);
                Gradients.checkBackward(p, dOut, dRegularizer);
                Map<String, double[]> params = new LinkedHashMap<>();
                float[][] g = LinearSpectralBackward.backward(p, in.result.output(), dOut, dRegularizer, params);
                yield assemble(p, in.q, in.k, in.v, in.options, g, params);
            }
            case Inputs in when in.owner == this -> backward(in.q, in.k, in.v, in.options, dOut, dRegularizer, pool);
            default -> throw new IllegalArgumentException("recording " + recording.getClass().getSimpleName()
                    + " was not made by this simd training path's record()");
        };
    }

    /** The backward of one call from its inputs alone (standard and RBF recordings, and tests). */
    static AttentionGradients backward(Tensor q, Tensor k, Tensor v, AttentionOptions options, Tensor dOut, double dRegularizer) {
        return backward(q, k, v, options, dOut, dRegularizer, null);
    }

    /** As above on {@code pool}'s threads (null: the calling thread). */
    static AttentionGradients backward(Tensor q, Tensor k, Tensor v, AttentionOptions options, Tensor dOut, double dRegularizer,
                                       WorkPool pool) {
        AttentionProblem p = AttentionProblem.of(q, k, v, options);
        Gradients.checkBackward(p, dOut, dRegularizer);
        return switch (p.kernel()) {
            case StandardKernel s -> assemble(p, q, k, v, options, StandardBackward.run(p, dOut, pool), Map.of());
            case IkaDirectKernel s -> spectral(p, q, k, v, options, dOut, dRegularizer);
            case IkaGeneratorKernel s -> spectral(p, q, k, v, options, dOut, dRegularizer);
            case CopulaKernel s -> spectral(p, q, k, v, options, dOut, dRegularizer);
            case RbfImportanceKernel s -> assemble(p, q, k, v, options, RbfBackward.run(p, dOut, pool), Map.of());
            case dev.ika4j.api.kernel.GatKernel s -> {
                Map<String, double[]> params = new LinkedHashMap<>();
                float[][] g = dev.ika4j.simd.graph.GatAttention.backward(p, dOut, params);
                yield assemble(p, q, k, v, options, g, params);
            }
        };
    }

    private record Recorded(SimdTraining owner, SpectralBackward.Recording forward, Tensor q, Tensor k, Tensor v,
                            AttentionOptions options) implements Recording {
        @Override
        public AttentionResult result() {
            return forward.result();
        }
    }

    private record Inputs(SimdTraining owner, Tensor q, Tensor k, Tensor v, AttentionOptions options, AttentionResult result)
            implements Recording {}

    private static AttentionGradients spectral(AttentionProblem p, Tensor q, Tensor k, Tensor v, AttentionOptions o, Tensor dOut,
                                               double dReg) {
        Map<String, double[]> params = new LinkedHashMap<>();
        float[][] g = linear(p.kernel()) ? LinearSpectralBackward.backward(p, null, dOut, dReg, params)
                : SpectralBackward.run(p, dOut, dReg, params);
        return assemble(p, q, k, v, o, g, params);
    }

    /** Tensors in the callers' layouts from flat present-key gradients, the past split off. */
    static AttentionGradients assemble(AttentionProblem p, Tensor q, Tensor k, Tensor v, AttentionOptions o,
                                       float[][] g, Map<String, double[]> params) {
        Tensor dq = q.like(q.batch(), q.heads(), q.seq(), q.dim());
        copy(g[0], p.qSeq(), 0, dq);
        Tensor dk = k.like(k.batch(), k.heads(), k.seq(), k.dim()), dv = v.like(v.batch(), v.heads(), v.seq(), v.dim());
        copy(g[1], p.kvSeq(), p.pastSeq(), dk);
        copy(g[2], p.kvSeq(), p.pastSeq(), dv);
        Tensor dpk = null, dpv = null;
        if (o.pastKey() != null) {
            Tensor pk = o.pastKey(), pv = o.pastValue();
            dpk = pk.like(pk.batch(), pk.heads(), pk.seq(), pk.dim());
            dpv = pv.like(pv.batch(), pv.heads(), pv.seq(), pv.dim());
            copy(g[1], p.kvSeq(), 0, dpk);
            copy(g[2], p.kvSeq(), 0, dpv);
        }
        return new AttentionGradients(dq, dk, dv, dpk, dpv, Gradients.typed(p.kernel(), params));
    }

    /** Rows [from, from + dst.seq) of each head of flat BHSD {@code src} (seq rows a head) into dst. */
    private static void copy(float[] src, int seq, int from, Tensor dst) {
        int d = dst.dim();
        for (int b = 0; b < dst.batch(); b++)
            for (int h = 0; h < dst.heads(); h++)
                for (int s = 0; s < dst.seq(); s++)
                    dst.writeRow(b, h, s, src, ((b * dst.heads() + h) * seq + from + s) * d);
    }
}
