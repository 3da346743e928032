/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.internal.plan.PaperMath;
import dev.ika4j.api.internal.plan.PaperPlan;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.cuda.internal.Curand;
import dev.ika4j.cuda.internal.DeviceBuffer;
import dev.ika4j.cuda.kernels.KernelLibrary;
import dev.ika4j.cuda.kernels.PaperKernelLibrary;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The paper's kernels (Implicit Kernel Attention, sections 1 to 6) on the cuda backend, on the
 * structure of its GEMM path. Every paper logit is f(S_ij) + colTerm_j + rowTerm_i with S from
 * one SGEMM (see {@code paper.cu}):
 *
 * <ol>
 *   <li>per row, in float64 on the device: the importances I_p (RBF: the correction
 *       (|x|_p^2 - |x|_2^2) / (2 tau), none at p = 2), shifted by the largest valid key term of
 *       their (batch, kv head) so the float32 logits stay small; spectral kernels also compute
 *       phi(x) = [cos a + cos b ; sin a + sin b] of every query and key row once (O(L M d));
 *   <li>per query block, as standard attention: S^T = alpha K'.Q'^T by strided-batched SGEMM
 *       (RBF: K, Q, alpha = 1/tau, GQA through the strides; spectral: phi(K), phi(Q) per query
 *       head, alpha = 1/(4M)); then S + colTerm or log(S^2 + eps) + colTerm in place; then the
 *       standard row softmax (scale 1: causal, lengths, masks, energy, NaN rules unchanged); then
 *       O = P.V by SGEMM (with the exact masked-key pass when V holds a non-finite value);
 *   <li>the energy, when asked, gets the row term I(q_i) (+ shift) added back at the end.
 * </ol>
 *
 * The spectral points of the generator and copula kernels are computed on the host in float64 by
 * the plan every production backend shares ({@link PaperPlan}), given this backend's noise draw and,
 * for resident calls, the copula's pooling on the device; a seeded kernel's noise is drawn
 * on the device with cuRAND's Philox generator (draw n of a seed starts at Philox offset n times
 * the draw's size, rounded up to even), so results agree with the reference in distribution, and
 * exactly when the caller passes the noise. Linear-time mode (section 6) runs through this
 * quadratic form: the same function up to float rounding, at quadratic cost.
 *
 * <p>All methods run with the backend's lock held (they are called from inside
 * {@link CudaBackend#enter()}), on its stream.
 */
final class CudaPaperKernels implements AutoCloseable {
    private static final int ROW_THREADS = 256;

    private final CudaBackend be;
    private PaperKernelLibrary lib;   // loaded at first use, under the backend's lock
    /** Training-mode draws taken so far per seeded noise source (identity keys, dropped with the source). */
    private final Map<NoiseSource, AtomicLong> draws = Collections.synchronizedMap(new WeakHashMap<>());

    CudaPaperKernels(CudaBackend backend) {
        this.be = backend;
    }

    // ---- entry points -----------------------------------------------------------------------

    /** A host call: uploads, resolves, computes, downloads; the result carries the kernel's regulariser. */
    AttentionResult attention(AttentionProblem p) {
        PaperKernel kernel = (PaperKernel) p.kernel();
        DeviceProblem dp = DeviceProblem.of(p);
        Tensor out = p.q().like(p.outputDType(), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        Tensor energy = p.returnEnergy() ? Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), Math.max(p.kvSeq(), 1)) : null;
        // Without keys, energy keeps one column of a key that does not exist: masked, so -inf.
        if (energy != null && p.kvSeq() == 0) java.util.Arrays.fill(energy.array(), Float.NEGATIVE_INFINITY);
        PaperPlan plan;
        be.enter();
        try {
            plan = PaperPlan.resolve(kernel, call(dp, p.q().shapeString(), p.returnEnergy()), this::draw,
                    () -> PaperMath.pool(PaperPlan.flat(p.q()), PaperPlan.flat(p.presentKey()), p.batch(), p.qHeads(), p.kvHeads(),
                            p.qSeq(), p.kvSeq(), p.dim(), p.kvLengths()));
            try (DeviceBuffer dq = be.uploadNew(p.q());
                 DeviceBuffer dk = be.uploadNew(p.presentKey());
                 DeviceBuffer dv = be.uploadNew(p.presentValue());
                 DeviceBuffer dout = be.allocateBytes(4L * out.size());
                 DeviceBuffer de = energy != null && p.kvSeq() > 0 ? be.allocateBytes(4L * energy.size()) : null) {
                compute(dp, plan, dq, dk, dv, dout, de);
                be.downloadInto(dout, out);
                if (de != null) be.downloadInto(de, energy);
            }
        } finally {
            be.leave();
        }
        return new AttentionResult(out, p.presentKey(), p.presentValue(), energy, plan.regularizer);
    }

    /**
     * A resident call (already validated by {@link DeviceProblem#ofResident}); the copula pools
     * its means on the device. The regulariser has nowhere to go in this form and is dropped.
     */
    void attention(PaperKernel kernel, DeviceProblem dp, CudaResident q, CudaResident k, CudaResident v, CudaResident out) {
        be.enter();
        try {
            PaperPlan plan = PaperPlan.resolve(kernel, call(dp, q.shapeString(), false), this::draw,
                    () -> poolOnDevice(dp, q.buffer(), k.buffer()));
            compute(dp, plan, q.buffer(), k.buffer(), v.buffer(), out.buffer(), null);
        } finally {
            be.leave();
        }
    }

    /** The parts of the call the shared plan checks and resolves against. */
    static PaperPlan.Call call(DeviceProblem p, String qShape, boolean energy) {
        return new PaperPlan.Call(p.batch(), p.qHeads(), p.dim(), p.scale(), p.softcap(), p.mask(), energy, qShape);
    }

    /**
     * c W laid out like W, in float64: the phases a = (c W)^T x differ from c (W^T x) by float64
     * rounding only, and the device then needs no multiply per phase.
     */
    private static double[] scaled(double[] w, double c) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) out[i] = c * w[i];
        return out;
    }

    // ---- noise ------------------------------------------------------------------------------

    /** The call's noise: the caller's (shape-checked by the source), or a cuRAND draw for a seed. */
    private ParamTensor draw(NoiseSource source, int... shape) {
        if (source.isFixed()) return source.next(shape);
        long index = source.mode() == NoiseSource.Mode.INFERENCE ? 0
                : draws.computeIfAbsent(source, s -> new AtomicLong()).getAndIncrement();
        return drawNormal(source.seed(), index, shape);
    }

    /**
     * Draw {@code index} of {@code seed}: standard normals from cuRAND Philox in C order, a pure
     * function of (seed, index, shape) on a given device and library. Called with the lock held.
     */
    ParamTensor drawNormal(long seed, long index, int... shape) {
        int n = ParamTensor.zeros(shape).size();
        long even = n + (n & 1);   // cuRAND makes normals in pairs
        float[] host = new float[(int) even];
        try (DeviceBuffer buf = be.allocateBytes(4L * even); Curand gen = Curand.create(be.stream, seed)) {
            gen.setOffset(index * even);
            gen.generateNormal(buf.address(), even, 0f, 1f);
            buf.copyToHost(0, MemorySegment.ofArray(host), be.stream);
        }
        return ParamTensor.of(Arrays.copyOf(host, n), shape);
    }

    /** Draw {@code index} of {@code seed}, for tests: takes the backend's lock. */
    ParamTensor drawNormalLocked(long seed, long index, int... shape) {
        be.enter();
        try {
            return drawNormal(seed, index, shape);
        } finally {
            be.leave();
        }
    }

    /** The copula's pooled means [batch, q_heads, 2d] of resident Q and K, computed on the device in float64. */
    private double[] poolOnDevice(DeviceProblem p, DeviceBuffer q, DeviceBuffer k) {
        double[] pooled = new double[p.batch() * p.qHeads() * 2 * p.dim()];
        try (DeviceBuffer lens = p.kvLengths() != null ? be.allocateBytes(4L * p.batch()) : null;
             DeviceBuffer out = be.allocateBytes(8L * pooled.length)) {
            if (lens != null) lens.copyFromHost(MemorySegment.ofArray(p.kvLengths()), 0, be.stream);
            library().poolMeans.launch(p.batch() * p.qHeads(), 1, 1, threadsFor(p.dim()), 1, 1, 0, be.stream,
                    q.address(), k.address(), p.qHeads(), p.kvHeads(), p.qSeq(), p.kvSeq(), p.dim(),
                    lens == null ? 0L : lens.address(), out.address());
            out.copyToHost(0, MemorySegment.ofArray(pooled), be.stream);
        }
        return pooled;
    }

    // ---- the computation --------------------------------------------------------------------

    /** out (and energy) of a resolved call; see the class comment. */
    private void compute(DeviceProblem p, PaperPlan plan, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v,
                         DeviceBuffer out, DeviceBuffer energy) {
        if (p.kvSeq() == 0) {
            out.zero(be.stream);   // no key at all: every row fully masked
            be.stream.synchronize();
            return;
        }
        KernelLibrary std = be.kernels();
        PaperKernelLibrary pl = library();
        List<DeviceBuffer> temps = new ArrayList<>();
        try {
            int B = p.batch(), Hq = p.qHeads(), Hkv = p.kvHeads(), Lq = p.qSeq(), Lk = p.kvSeq(), D = p.dim();
            long lensPtr = 0, maskPtr = 0;
            if (p.kvLengths() != null) {
                DeviceBuffer lens = temp(temps, 4L * p.kvLengths().length);
                lens.copyFromHost(MemorySegment.ofArray(p.kvLengths()), 0, be.stream);
                lensPtr = lens.address();
            }
            if (p.mask() != null) {
                float[] bias = p.maskBiases();
                DeviceBuffer m = temp(temps, 4L * bias.length);
                m.copyFromHost(MemorySegment.ofArray(bias), 0, be.stream);
                maskPtr = m.address();
            }
            long vCount = (long) B * Hkv * Lk * p.vDim();
            DeviceBuffer nonFinite = be.flag();
            nonFinite.zero(be.stream);
            int scanBlocks = (int) Math.min(4096, (vCount + ROW_THREADS - 1) / ROW_THREADS);
            std.flagNonFinite.launch(scanBlocks, 1, 1, ROW_THREADS, 1, 1, 0, be.stream, v.address(), vCount,
                    nonFinite.address());

            // Row and column terms: none for the RBF kernel at p = 2 (it is standard attention).
            boolean terms = (plan.form == PaperPlan.Form.SPECTRAL) || plan.p != 2.0;
            long colTerm = 0, rowTerm = 0;
            if (terms) {
                long qRows = (long) B * Hq * Lq, kRows = (long) B * Hkv * Lk;
                DeviceBuffer impQ = temp(temps, 8L * qRows), impK = temp(temps, 8L * kRows);
                DeviceBuffer rowT = temp(temps, 4L * qRows), colT = temp(temps, 4L * kRows);
                double inv2tau = 1.0 / (2 * plan.tau);
                int rbf = (plan.form == PaperPlan.Form.SPECTRAL) ? 0 : 1, warps = ROW_THREADS / 32;
                pl.rowImportance.launch(Math.toIntExact((qRows + warps - 1) / warps), 1, 1, ROW_THREADS, 1, 1, 0, be.stream,
                        q.address(), qRows, D, plan.p, inv2tau, rbf, impQ.address());
                pl.rowImportance.launch(Math.toIntExact((kRows + warps - 1) / warps), 1, 1, ROW_THREADS, 1, 1, 0, be.stream,
                        k.address(), kRows, D, plan.p, inv2tau, rbf, impK.address());
                pl.terms.launch(B * Hkv, 1, 1, ROW_THREADS, 1, 1, 0, be.stream, impQ.address(), impK.address(), Hq, Hkv,
                        Lq, Lk, lensPtr, rowT.address(), colT.address());
                rowTerm = rowT.address();
                colTerm = colT.address();
            }

            // The GEMM operands: Q and K themselves, or phi(Q) and phi(K) per query head.
            Features f = (plan.form == PaperPlan.Form.SPECTRAL) ? spectralFeatures(p, plan, q, k, temps)
                    : new Features(q.address(), k.address(), D, p.group(), Hkv, (float) (1.0 / plan.tau));
            blocks(std, pl, p, plan, f, v, out, energy, lensPtr, maskPtr, colTerm, nonFinite);

            if (energy != null && terms) {
                pl.energyAddRows.launch(B * Hq * Lq, 1, 1, threadsFor(Lk), 1, 1, 0, be.stream, energy.address(), Lk, rowTerm);
            }
            // The per-call buffers may be freed only once the kernels reading them are done.
            be.stream.synchronize();
        } finally {
            for (DeviceBuffer t : temps) t.close();
        }
    }

    /**
     * The SGEMM operands of S: {@code qf} rows of {@code width} per query head, {@code kf} rows of
     * {@code width} per one of {@code kfHeads} heads, each read by {@code group} query heads.
     */
    private record Features(long qf, long kf, int width, int group, int kfHeads, float alpha) {}

    /** phi(Q) and phi(K) for every query head: [batch, q_heads, seq, 2M] each, from c W in float64. */
    private Features spectralFeatures(DeviceProblem p, PaperPlan plan, DeviceBuffer q, DeviceBuffer k,
                                      List<DeviceBuffer> temps) {
        int B = p.batch(), Hq = p.qHeads(), m = plan.samples, width = 2 * m;
        double[] w1 = scaled(plan.w1, plan.frequencyScale), w2 = scaled(plan.w2, plan.frequencyScale);
        DeviceBuffer dw1 = temp(temps, 8L * w1.length), dw2 = temp(temps, 8L * w2.length);
        dw1.copyFromHost(MemorySegment.ofArray(w1), 0, be.stream);
        dw2.copyFromHost(MemorySegment.ofArray(w2), 0, be.stream);
        DeviceBuffer phiQ = temp(temps, 4L * B * Hq * p.qSeq() * width);
        DeviceBuffer phiK = temp(temps, 4L * B * Hq * p.kvSeq() * width);
        phi(p, plan, q, p.qHeads(), p.qSeq(), 1, dw1, dw2, phiQ);
        phi(p, plan, k, p.kvHeads(), p.kvSeq(), p.group(), dw1, dw2, phiK);
        return new Features(phiQ.address(), phiK.address(), width, 1, Hq, (float) (1.0 / (4.0 * m)));
    }

    private void phi(DeviceProblem p, PaperPlan plan, DeviceBuffer x, int xHeads, int n, int group, DeviceBuffer w1,
                     DeviceBuffer w2, DeviceBuffer phi) {
        int tiles = (n + PaperKernelLibrary.PHI_ROWS - 1) / PaperKernelLibrary.PHI_ROWS;
        int chunks = (plan.samples + PaperKernelLibrary.PHI_SAMPLES - 1) / PaperKernelLibrary.PHI_SAMPLES;
        library().phi.launch(Math.multiplyExact(p.batch() * p.qHeads(), tiles), chunks, 1,
                PaperKernelLibrary.PHI_THREADS_X, PaperKernelLibrary.PHI_THREADS_Y, 1, 0, be.stream,
                x.address(), xHeads, n, p.dim(), w1.address(), w2.address(), p.qHeads(), group, plan.samples,
                plan.perBatch ? 1 : 0, phi.address());
    }

    /**
     * The query blocks, as CudaBackend's GEMM path: each block [i0, i0 + rows) sees keys [0, ld)
     * (a causal block only up to its last row's diagonal, never beyond the longest valid length).
     */
    private void blocks(KernelLibrary std, PaperKernelLibrary pl, DeviceProblem p, PaperPlan plan, Features f,
                        DeviceBuffer v, DeviceBuffer out, DeviceBuffer energy, long lensPtr, long maskPtr, long colTerm,
                        DeviceBuffer nonFinite) {
        int B = p.batch(), Hq = p.qHeads(), Hkv = p.kvHeads(), G = p.group();
        int Lq = p.qSeq(), Lk = p.kvSeq(), Dv = p.vDim(), W = f.width(), FG = f.group();
        int[] md = p.mask() != null ? p.mask().dims4() : new int[] {1, 1, 1, 1};
        int maxLen = p.kvLengths() == null ? Lk : Arrays.stream(p.kvLengths()).max().orElse(Lk);
        boolean plain = p.mask() == null && energy == null && !p.causal() && p.kvLengths() == null;

        int nb = (int) Math.max(1, Math.min(Lq, be.scoreBudget / p.scoreRowBytes()));
        if (p.causal()) nb = Math.min(nb, CudaBackend.causalBlockRows(Lq));
        DeviceBuffer s = be.scores((long) nb * p.scoreRowBytes());
        int pvThreads = Math.min(ROW_THREADS, (Dv + 31) / 32 * 32);
        long energyPtr = energy == null ? 0L : energy.address();

        for (int i0 = 0; i0 < Lq; i0 += nb) {
            int rows = Math.min(nb, Lq - i0);
            int ld = Math.min(Lk, maxLen);
            if (p.causal()) ld = (int) Math.min(ld, (long) p.pastSeq() + i0 + rows);
            ld = Math.max(ld, 1);
            // S^T [ld, rows] = alpha K'[0:ld] . Q'_blk^T per query head (column-major reading, as in CudaBackend).
            for (int r = 0; r < FG; r++) {
                be.cublas.sgemmStridedBatched(true, false, ld, rows, W, f.alpha(),
                        f.kf(), W, (long) Lk * W,
                        f.qf() + 4L * ((long) r * Lq * W + (long) i0 * W), W, (long) FG * Lq * W,
                        0f, s.address() + 4L * ((long) r * rows * ld), ld, (long) FG * rows * ld,
                        B * f.kfHeads());
            }
            int rowCount = B * Hq * rows;
            if (colTerm != 0) {
                pl.logits.launch(rowCount, 1, 1, threadsFor(ld), 1, 1, 0, be.stream, s.address(), ld, rows, Hq, G, Lk,
                        colTerm, (plan.form == PaperPlan.Form.SPECTRAL) ? 1 : 0, (float) plan.eps);
            }
            if (ld <= std.maxStagedRow) {
                int threads = CudaBackend.stagedThreads(ld);
                if (plain) {
                    std.softmaxStagedPlain.launch(rowCount, 1, 1, threads, 1, 1, Float.BYTES * ld, be.stream,
                            s.address(), ld, 1f);
                } else {
                    std.softmaxStaged.launch(rowCount, 1, 1, threads, 1, 1, Float.BYTES * ld, be.stream,
                            s.address(), ld, rows, Hq, Lk, i0, p.pastSeq(), p.causal() ? 1 : 0, 1f, 0f, lensPtr,
                            maskPtr, md[0], md[1], md[2], md[3], energyPtr, Lq);
                }
            } else {
                std.softmaxRows.launch(rowCount, 1, 1, ROW_THREADS, 1, 1, 0, be.stream,
                        s.address(), ld, rows, Hq, Lk, i0, p.pastSeq(), p.causal() ? 1 : 0, 1f, 0f, lensPtr,
                        maskPtr, md[0], md[1], md[2], md[3], energyPtr, Lq);
            }
            for (int r = 0; r < G; r++) {
                be.cublas.sgemmStridedBatched(false, false, Dv, rows, ld, 1f,
                        v.address(), Dv, (long) Lk * Dv,
                        s.address() + 4L * ((long) r * rows * ld), ld, (long) G * rows * ld,
                        0f, out.address() + 4L * ((long) r * Lq * Dv + (long) i0 * Dv), Dv, (long) G * Lq * Dv,
                        B * Hkv);
            }
            std.pvExact.launch(rowCount, 1, 1, pvThreads, 1, 1, 0, be.stream,
                    nonFinite.address(), s.address(), v.address(), out.address(), ld, rows, Hq, G, Lk, Dv, Lq, i0);
        }
    }

    private DeviceBuffer temp(List<DeviceBuffer> temps, long bytes) {
        DeviceBuffer b = be.allocateBytes(bytes);
        temps.add(b);
        return b;
    }

    /** Threads of a one-block-per-row kernel over {@code n} elements: a multiple of 32 up to 256. */
    private static int threadsFor(int n) {
        return Math.max(32, Math.min(ROW_THREADS, (n + 31) / 32 * 32));
    }

    private PaperKernelLibrary library() {
        if (lib == null) lib = PaperKernelLibrary.load(be.ctx);
        return lib;
    }

    @Override
    public void close() {
        if (lib != null) lib.close();
    }
}
