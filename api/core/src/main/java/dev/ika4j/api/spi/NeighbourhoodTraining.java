/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Support;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionGradients;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.KernelGradient;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A training path that adds neighbourhoods to another: a call with one is recorded bucket by
 * bucket as {@link NeighbourhoodGather} computes it, and its backward runs the inner backward per
 * bucket and scatters the gradients back (adding, since a key is the neighbour of many queries;
 * the kernel's parameter gradients summed over buckets, dRegularizer given to the first one only,
 * as the regulariser is counted once). Calls without a neighbourhood pass straight through.
 */
public final class NeighbourhoodTraining implements AttentionTraining {
    private final AttentionTraining inner;

    private NeighbourhoodTraining(AttentionTraining inner) {
        this.inner = inner;
    }

    /** {@code inner}, with neighbourhoods. */
    public static AttentionTraining wrap(AttentionTraining inner) {
        return new NeighbourhoodTraining(Objects.requireNonNull(inner, "inner"));
    }

    /** Whether {@code recording} is a neighbourhood call recorded bucket by bucket (by any instance). */
    public static boolean gathered(Recording recording) {
        return recording instanceof Gathered;
    }

    @Override
    public String name() {
        return inner.name();
    }

    private record Part(NeighbourhoodGather.Bucket bucket, Recording recording) {}

    private record Gathered(NeighbourhoodTraining owner, AttentionProblem p, Tensor q, Tensor k, Tensor v,
                            AttentionOptions options, List<Part> parts, AttentionResult result) implements Recording {}

    @Override
    public Recording record(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.neighbourhood() == null) return inner.record(q, k, v, options);
        Gradients.checkRecordable(options);
        AttentionProblem.validate(q, k, v, options);
        Support s = SupportChecks.gatherable(inner.name(), options);
        if (!s.supported()) throw new UnsupportedOperationException(s.reason());
        AttentionProblem p = AttentionProblem.of(q, k, v, options);
        List<NeighbourhoodGather.Bucket> buckets = NeighbourhoodGather.buckets(p);
        if (buckets.isEmpty()) buckets = List.of(new NeighbourhoodGather.Bucket(1, new int[] {0}, new int[] {0}, new int[][] {{}}));
        Tensor out = q.like(p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        List<Part> parts = new ArrayList<>();
        double reg = 0;
        AttentionOptions call = NeighbourhoodGather.callOptions(p);
        for (NeighbourhoodGather.Bucket u : buckets) {
            Recording r = inner.record(NeighbourhoodGather.queries(p, u), NeighbourhoodGather.gather(p, p.presentKey(), u),
                    NeighbourhoodGather.gather(p, p.presentValue(), u), NeighbourhoodGather.options(p, call, u, false));
            if (parts.isEmpty()) reg = r.result().regularizer();
            if (u.keys()[0].length > 0) NeighbourhoodGather.scatterRows(p, u, r.result().output(), out);
            parts.add(new Part(u, r));
        }
        AttentionResult result = new AttentionResult(out, p.presentKey(), p.presentValue(), null, reg, null);
        return new Gathered(this, p, q, k, v, options, parts, result);
    }

    @Override
    public AttentionGradients backward(Recording recording, Tensor dOut, double dRegularizer) {
        Objects.requireNonNull(recording, "recording");
        if (!(recording instanceof Gathered g)) return inner.backward(recording, dOut, dRegularizer);
        if (g.owner != this) {
            throw new IllegalArgumentException("recording of a neighbourhood call was made by another '" + name()
                    + "' training path's record()");
        }
        AttentionProblem p = g.p;
        Gradients.checkBackward(p, dOut, dRegularizer);
        int past = p.pastSeq();
        Tensor dq = g.q.like(g.q.batch(), g.q.heads(), g.q.seq(), g.q.dim());
        float[] dk = new float[p.batch() * p.kvHeads() * p.kvSeq() * p.dim()];
        float[] dv = new float[p.batch() * p.kvHeads() * p.kvSeq() * p.vDim()];
        KernelGradient dKernel = null;
        for (int n = 0; n < g.parts.size(); n++) {
            NeighbourhoodGather.Bucket u = g.parts.get(n).bucket();
            Tensor subDOut = Tensor.zerosBhsd(u.size(), p.qHeads(), 1, p.vDim());
            for (int r = 0; r < u.size(); r++)
                for (int h = 0; h < p.qHeads(); h++)
                    for (int c = 0; c < p.vDim(); c++) subDOut.set(r, h, 0, c, dOut.get(u.batch()[r], h, u.query()[r], c));
            AttentionGradients sg = inner.backward(g.parts.get(n).recording(), subDOut, n == 0 ? dRegularizer : 0.0);
            for (int r = 0; r < u.size(); r++) {
                int b = u.batch()[r];
                for (int h = 0; h < p.qHeads(); h++)
                    for (int c = 0; c < p.dim(); c++) dq.set(b, h, u.query()[r], c, sg.dQ().get(r, h, 0, c));
                for (int h = 0; h < p.kvHeads(); h++) {
                    for (int e = 0; e < u.keys()[r].length; e++) {
                        int j = u.keys()[r][e];
                        int ko = ((b * p.kvHeads() + h) * p.kvSeq() + j);
                        for (int c = 0; c < p.dim(); c++) dk[ko * p.dim() + c] += sg.dK().get(r, h, e, c);
                        for (int c = 0; c < p.vDim(); c++) dv[ko * p.vDim() + c] += sg.dV().get(r, h, e, c);
                    }
                }
            }
            dKernel = dKernel == null ? sg.dKernel() : add(dKernel, sg.dKernel());
        }
        Tensor dK = split(g.k, dk, p, p.dim(), past, p.kvSeq());
        Tensor dV = split(g.v, dv, p, p.vDim(), past, p.kvSeq());
        Tensor dPk = null, dPv = null;
        if (g.options.pastKey() != null) {
            dPk = split(g.options.pastKey(), dk, p, p.dim(), 0, past);
            dPv = split(g.options.pastValue(), dv, p, p.vDim(), 0, past);
        }
        return new AttentionGradients(dq, dK, dV, dPk, dPv, dKernel);
    }

    /** Rows [from, to) of each head of a flat present-length array, as a tensor like {@code like}. */
    private static Tensor split(Tensor like, float[] flat, AttentionProblem p, int dim, int from, int to) {
        Tensor t = like.like(like.batch(), like.heads(), like.seq(), like.dim());
        for (int b = 0; b < p.batch(); b++)
            for (int h = 0; h < p.kvHeads(); h++)
                for (int s = from; s < to; s++)
                    for (int c = 0; c < dim; c++) t.set(b, h, s - from, c, flat[((b * p.kvHeads() + h) * p.kvSeq() + s) * dim + c]);
        return t;
    }

    /** The sum of two gradients of one kernel. */
    static KernelGradient add(KernelGradient a, KernelGradient b) {
        return switch (a) {
            case KernelGradient.None n -> a;
            case KernelGradient.Gat d -> {
                KernelGradient.Gat e = (KernelGradient.Gat) b;
                yield new KernelGradient.Gat(add(d.aSrc(), e.aSrc()), add(d.aDst(), e.aDst()));
            }
            case KernelGradient.Direct d -> {
                KernelGradient.Direct e = (KernelGradient.Direct) b;
                yield new KernelGradient.Direct(add(d.w1(), e.w1()), add(d.w2(), e.w2()));
            }
            case KernelGradient.Generator d -> {
                KernelGradient.Generator e = (KernelGradient.Generator) b;
                yield new KernelGradient.Generator(add(d.g1(), e.g1()), add(d.g2(), e.g2()));
            }
            case KernelGradient.Copula d -> {
                KernelGradient.Copula e = (KernelGradient.Copula) b;
                CopulaNet x = d.net(), y = e.net();
                CopulaNet net = new CopulaNet(add(x.w1(), y.w1()), add(x.b1(), y.b1()), add(x.w2(), y.w2()),
                        add(x.b2(), y.b2()), add(x.w3(), y.w3()), add(x.b3(), y.b3()), add(x.c(), y.c()), add(x.cb(), y.cb()));
                yield new KernelGradient.Copula(net, add(d.g1(), e.g1()), add(d.g2(), e.g2()));
            }
        };
    }

    private static SpectralGenerator add(SpectralGenerator a, SpectralGenerator b) {
        return new SpectralGenerator(add(a.w1(), b.w1()), add(a.b1(), b.b1()), add(a.w2(), b.w2()), add(a.b2(), b.b2()),
                add(a.w3(), b.w3()), add(a.b3(), b.b3()));
    }

    private static ParamTensor add(ParamTensor a, ParamTensor b) {
        double[] x = a.toArray();
        for (int n = 0; n < x.length; n++) x[n] += b.at(n);
        return ParamTensor.of(x, a.shape());
    }
}
