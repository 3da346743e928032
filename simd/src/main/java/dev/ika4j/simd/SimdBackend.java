/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Support;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.simd.grad.SimdTraining;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.spi.HostBackend;
import dev.ika4j.simd.internal.AttentionScores;
import dev.ika4j.simd.internal.BlockScratch;
import dev.ika4j.simd.internal.PackedKeys;
import dev.ika4j.simd.internal.PackedValues;
import dev.ika4j.simd.internal.ScratchPool;
import dev.ika4j.simd.internal.StandardAttention;
import dev.ika4j.simd.internal.VectorMath;
import dev.ika4j.simd.internal.WorkPool;
import java.util.Map;

/**
 * Attention on the JDK Vector API at the machine's preferred vector width, float32 throughout.
 *
 * <p>Parallel over batch x heads x query blocks on the backend's own threads: one call runs with
 * {@link BackendConfig#threads()} threads (the caller plus that many minus one pool workers).
 * Thread-safe: any number of threads may call at once; results do not depend on the thread count,
 * on scheduling or on the JIT tier, because every output element is computed by one task in a
 * fixed order with reproducible arithmetic. Inputs in a thread-confined memory segment are
 * computed on the calling thread alone.
 *
 * <p>Numerics (see {@link dev.ika4j.api.AttentionBackend} for the whole contract): float32 inputs,
 * logits and sums; defined, and within float32 accuracy of the reference, while |scale| * sum_c
 * |q_c k_c| and every logit stay below about 1e38 and |v| up to 2^127. The scale is folded into Q,
 * and a row whose fold overflows is recomputed from the unscaled Q in float64. Softmax sums and
 * P.V are blocked, with Kahan compensation across blocks (relative error a few ulps, under 1e-5 at
 * 2^20 keys), and weights are shifted down by a power of two when n * max|v| could overflow. The
 * spectral kernels' phases are float64. NaN rule: a key is skipped only when its logit is -inf.
 *
 * <p>Between calls it keeps up to {@code threads} sets of worker buffers (each about
 * (head_dim + v_dim) x kv_seq floats for the packed keys and values of one head) so repeated
 * calls do not allocate; {@link #close()} stops the pool and drops them.
 */
public final class SimdBackend extends HostBackend {
    public static final String NAME = "simd";

    private final WorkPool pool;
    /** Worker buffers of the block driver, shared by every kernel. */
    private final ScratchPool<BlockScratch> scratch;

    public SimdBackend(BackendConfig config) {
        this.pool = new WorkPool(config.threads());
        this.scratch = new ScratchPool<>(config.threads());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The float32 backward on the Vector API; see {@link SimdTraining}. */
    @Override
    public AttentionTraining training() {
        return new SimdTraining(this, pool);
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> m = new java.util.LinkedHashMap<>(); // a stable order for printing
        m.put("vector bits", Integer.toString(VectorMath.SPECIES.vectorBitSize()));
        m.put("float lanes", Integer.toString(VectorMath.LANES));
        m.put("threads", Integer.toString(pool.threads()));
        m.put("key tile", Integer.toString(PackedKeys.TILE));
        m.put("precision", "float32, online softmax");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Standard attention packs one KV head's keys and values into Java arrays, so a head of more
     * than about 2^31 floats (a multi-gigabyte cache in a memory segment) is beyond it.
     */
    @Override
    protected Support supportsValid(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        if (!(options.kernel() instanceof StandardKernel)) return Support.yes();
        long keys = (long) k.seq() + (options.pastKey() == null ? 0 : options.pastKey().seq());
        long tiles = (keys + PackedKeys.TILE - 1) / PackedKeys.TILE;
        long packed = tiles * PackedKeys.TILE * Math.max(k.dim(), PackedValues.strideFor(v.dim()));
        if (packed > Integer.MAX_VALUE - 8) {
            return Support.no("backend 'simd' packs one KV head into a Java array: " + keys + " keys x head_dim "
                    + Math.max(k.dim(), v.dim()) + " need " + packed + " floats, more than 2^31 - 9 (K " + k.shapeString()
                    + "); use a shorter cache per call or the cuda backend");
        }
        return Support.yes();
    }

    /** The one place kernels are dispatched; each kernel of the family adds its case here. */
    @Override
    protected double compute(AttentionProblem p, Tensor out, Tensor energy) {
        return switch (p.kernel()) {
            case StandardKernel s -> {
                StandardAttention.compute(p, out, energy, pool, scratch);
                yield 0.0;
            }
            case dev.ika4j.api.kernel.GatKernel g -> dev.ika4j.simd.graph.GatAttention.compute(p, out, energy);
            case dev.ika4j.api.kernel.PaperKernel k -> dev.ika4j.simd.paper.PaperSimd.compute(p, out, energy, pool, scratch);
        };
    }

    /**
     * Banded neighbourhoods run in the fused block loop, which skips the key blocks outside the band
     * and masks at its edges, for every kernel it drives; GAT (its own loops), the linear-time
     * spectral mode (no key blocks) and copula (refused) go through the gather.
     */
    @Override
    protected boolean bandsInCompute(AttentionProblem p) {
        return switch (p.kernel()) {
            case StandardKernel s -> true;
            case dev.ika4j.api.kernel.RbfImportanceKernel r -> true;
            case dev.ika4j.api.kernel.IkaDirectKernel d -> !d.options().linear();
            case dev.ika4j.api.kernel.IkaGeneratorKernel g -> !g.options().linear();
            default -> false;
        };
    }

    /** The scores output in its own pass ({@link AttentionScores}), beside the fused kernel. */
    @Override
    protected void computeScores(AttentionProblem p, Tensor scores) {
        AttentionScores.compute(p, scores, pool);
    }

    @Override
    public void close() {
        super.close();
        pool.close();
        scratch.clear();
    }
}
