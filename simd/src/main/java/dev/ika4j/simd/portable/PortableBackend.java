/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Support;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.spi.HostBackend;
import dev.ika4j.simd.internal.ScratchPool;
import dev.ika4j.simd.internal.WorkPool;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Attention in plain Java, float32, for JVMs that cannot run the Vector API (started without
 * {@code --add-modules jdk.incubator.vector}, or without C2): the CPU fallback that {@code auto}
 * takes instead of the float64 reference, in the manner of Lucene's scalar vectorization provider.
 * It touches no class of {@code jdk.incubator.vector}.
 *
 * <p>Standard attention (every option: masks, causal, GQA, softcap, KV cache, valid lengths,
 * energy; the scores output in {@link PortableScores}) runs on {@link PortableAttention}, written so that C2 auto-vectorises it, on the
 * backend's own threads like simd. The paper's kernels are not ported: they run on the float64
 * reference code where {@code ika4j-reference} is present (correct but slow; the first such call
 * logs a WARNING naming the flag that gives them the simd kernels), and {@link #supports} says
 * no where it is not.
 *
 * <p>Thread-safe, like every backend; {@link #close()} stops its threads.
 */
public final class PortableBackend extends HostBackend {
    public static final String NAME = "portable";

    private static final System.Logger LOG = System.getLogger("dev.ika4j");
    private static final AtomicBoolean WARNED_PAPER = new AtomicBoolean();

    private final WorkPool pool;
    private final ScratchPool<PortableAttention.Scratch> scratch;
    /** The float64 reference, found through the registry when a paper kernel first comes. */
    private volatile AttentionBackend paper;

    public PortableBackend(BackendConfig config) {
        this.pool = new WorkPool(config.threads());
        this.scratch = new ScratchPool<>(config.threads());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("precision", "float32, online softmax");
        m.put("vectorisation", "C2 auto-vectorisation (no Vector API)");
        m.put("threads", Integer.toString(pool.threads()));
        m.put("query block", Integer.toString(PortableAttention.QUERY_BLOCK));
        m.put("key block", Integer.toString(PortableAttention.KEY_BLOCK));
        m.put("paper kernels", "float64 reference code (ika4j-reference)");
        return Collections.unmodifiableMap(m);
    }

    /** The scores output in its own pass ({@link PortableScores}), beside the fused kernel, as in simd. */
    @Override
    protected void computeScores(AttentionProblem p, Tensor scores) {
        PortableScores.compute(p, scores, pool);
    }

    /** The paper's kernels need the float64 reference code, which lives in {@code ika4j-reference}. */
    @Override
    protected Support supportsValid(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        if (options.kernel() instanceof dev.ika4j.api.kernel.GatKernel) {
            return Support.no("backend 'portable' has no GAT kernel; use simd (--add-modules jdk.incubator.vector) or reference");
        }
        if (options.kernel() instanceof PaperKernel pk && !referencePresent()) {
            return Support.no("backend 'portable' has no kernels of its own for the paper kernel '" + pk.name()
                    + "': run java with --add-modules jdk.incubator.vector for the simd kernels, or add "
                    + "dev.ika4j:ika4j-reference for the float64 reference code");
        }
        return Support.yes();
    }

    private static boolean referencePresent() {
        return Backends.providers().stream().anyMatch(p -> p.name().equals("reference"));
    }

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        if (options != null && options.kernel() instanceof PaperKernel pk) {
            supports(q, k, v, options).orThrow();
            return paper(pk).attention(q, k, v, options);
        }
        return super.attention(q, k, v, options);
    }

    @Override
    public void attention(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions options, ResidentTensor out) {
        if (options != null && options.kernel() instanceof PaperKernel pk
                && q instanceof HostResident hq && k instanceof HostResident hk && v instanceof HostResident hv
                && out instanceof HostResident ho && sameBackend(hq, hk, hv, ho)) {
            Tensor result = paper(pk).attention(hq.tensor(), hk.tensor(), hv.tensor(), options).output();
            Tensor dst = ho.tensor();
            if (dst.batch() != result.batch() || dst.heads() != result.heads() || dst.seq() != result.seq()
                    || dst.dim() != result.dim()) {
                throw new IllegalArgumentException("out " + out.shapeString() + " must have shape [" + result.batch()
                        + ", " + result.heads() + ", " + result.seq() + ", " + result.dim() + "]");
            }
            float[] row = new float[result.dim()];
            for (int b = 0; b < result.batch(); b++)
                for (int h = 0; h < result.heads(); h++)
                    for (int s = 0; s < result.seq(); s++) {
                        result.readRow(b, h, s, row, 0);
                        dst.writeRow(b, h, s, row, 0);
                    }
            return;
        }
        super.attention(q, k, v, options, out); // validates ownership and shapes with the usual messages
    }

    private boolean sameBackend(HostResident... rs) {
        for (HostResident r : rs) if (!r.backend().equals(NAME)) return false;
        return true;
    }

    private AttentionBackend paper(PaperKernel kernel) {
        AttentionBackend p = paper;
        if (p == null) {
            try {
                paper = p = Backends.open("reference");
            } catch (IllegalArgumentException noReference) {
                throw new UnsupportedOperationException("the portable backend has no kernels of its own for the paper "
                        + "kernel '" + kernel.name() + "': run java with --add-modules jdk.incubator.vector for the simd "
                        + "kernels, or add dev.ika4j:ika4j-reference for the float64 reference code", noReference);
            }
        }
        warnPaper(kernel);
        return p;
    }

    private static void warnPaper(PaperKernel kernel) {
        if (WARNED_PAPER.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "ika4j: the portable backend runs the paper kernel '" + kernel.name()
                    + "' on the float64 reference code (slow); run java with --add-modules jdk.incubator.vector "
                    + "for the simd kernels");
        }
    }

    @Override
    protected double compute(AttentionProblem p, Tensor out, Tensor energy) {
        if (!(p.kernel() instanceof StandardKernel)) {
            throw new IllegalStateException("the portable backend computes standard attention only; kernel '"
                    + p.kernel().name() + "' should have gone to the reference code");
        }
        PortableAttention.compute(p, out, energy, pool, scratch);
        return 0.0;
    }

    @Override
    public void close() {
        AttentionBackend p = paper;
        if (p != null) p.close();
        pool.close();
        scratch.clear();
    }
}
