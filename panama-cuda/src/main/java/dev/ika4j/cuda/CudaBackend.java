/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.DType;
import dev.ika4j.api.Support;
import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.PaperKernel;
import dev.ika4j.api.kernel.StandardKernel;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.BackendConfig.CudaPath;
import dev.ika4j.cuda.internal.Cublas;
import dev.ika4j.cuda.internal.CudaContext;
import dev.ika4j.cuda.internal.CudaStream;
import dev.ika4j.cuda.internal.Curand;
import dev.ika4j.cuda.internal.DeviceBuffer;
import dev.ika4j.cuda.internal.NativeLibraries;
import dev.ika4j.cuda.kernels.HalfFlashKernels;
import dev.ika4j.cuda.kernels.KernelLibrary;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The GPU backend, on one device, one primary context and one stream. Standard attention runs on
 * one of two paths: the GEMM path (two cuBLAS strided-batched SGEMMs around an NVRTC-compiled
 * row-softmax kernel, every option) or the fused path (one NVRTC-compiled flash-attention kernel,
 * no score matrix; head dims up to 128, causal, valid lengths and past caches, but no mask,
 * soft-capping, energy or scores output). {@link BackendConfig#cudaPath()} ({@code -Dika.cuda.path}) picks
 * {@code auto} (default: see {@link #prefersFused}), {@code gemm} or {@code fused} (wherever the
 * fused kernel supports the call; the GEMM path otherwise).
 *
 * <p>The paper's kernels run on the GEMM path's structure in {@link CudaPaperKernels}.
 *
 * <p>Numerics (see {@link dev.ika4j.api.AttentionBackend} for the whole contract): float32 inputs,
 * logits and sums; defined, and within float32 accuracy of the reference, while |scale| * sum_c
 * |q_c k_c| and every logit stay below about 1e38. The GEMM path normalises the weights before
 * P.V, so the output cannot overflow for finite values; the fused path keeps unnormalised running
 * sums, exact to about kv_seq * 2^-24 relative and finite while |v| * kv_seq stays below
 * Float.MAX_VALUE. The spectral kernels compute phases and their cos and sin in float64. NaN rule:
 * a key is skipped only when its logit is -inf (its weight is written as -0.0 and P.V skips it
 * when V holds a non-finite value); an unmasked key whose weight underflowed still multiplies.
 *
 * <p>Thread safety: every entry makes the context current on the calling thread and then holds one
 * lock while it issues work to the stream, so concurrent callers are serialised on the stream.
 *
 * <p>Memory: the score matrix of a call is processed in query blocks whose scores fit a budget
 * ({@link BackendConfig#scoreBudgetBytes()}, default the smaller of 1 GiB and a quarter of the free
 * device memory at creation). The score buffer and a flag word are kept between calls and freed
 * on {@link #close}; everything else a call allocates is freed before it returns.
 */
public final class CudaBackend implements AttentionBackend {
    public static final String NAME = "cuda";
    private static final int ROW_THREADS = 256;
    private static final long DEFAULT_SCORE_BUDGET = 1L << 30;
    /**
     * A causal call runs in at least this many query blocks on the GEMM path, so each block's
     * GEMMs can stop at the last key its rows see: about (1/2 + 1/(2 * 8)) of the full work.
     */
    private static final int CAUSAL_BLOCKS = 8;


    private final int device;
    private final boolean tf32;
    private final CudaPath path;
    /** ika.cuda.halfTensorCores: half inputs to the (not yet GPU-verified) tensor-core kernel. */
    private final boolean halfTensorCores;
    final long scoreBudget;
    final CudaContext ctx;
    final CudaStream stream;
    final Cublas cublas;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<CudaResident> residents = ConcurrentHashMap.newKeySet();
    private KernelLibrary kernels;      // compiled at first use, under the lock
    private HalfFlashKernels halfKernels;   // likewise, when asked for and the device has mma.sync
    private boolean halfKernelsTried;
    private DeviceBuffer scores;        // grows to the largest query block seen
    private DeviceBuffer flag;          // one int: "V holds a non-finite value"
    private volatile CudaPaperKernels paper;   // the paper's kernels, created at first use
    private volatile boolean closed;

    /** Opens the device named by the config ("device", default 0) with "tf32" math if asked. */
    public CudaBackend(BackendConfig config) {
        Objects.requireNonNull(config, "config");
        this.device = config.device();
        this.tf32 = config.tf32();
        this.path = config.cudaPath();
        this.halfTensorCores = dev.ika4j.api.Settings.CUDA_HALF_TENSOR_CORES.get(false);
        NativeLibraries.load();
        CudaContext c = CudaContext.open(device);
        CudaStream s = null;
        Cublas b = null;
        try {
            s = CudaStream.create(c);
            b = Cublas.create(c, s);
            b.setTf32(tf32);
            long free = c.memInfo()[0];
            this.scoreBudget = config.scoreBudgetBytes().orElse(Math.max(1L << 20, Math.min(DEFAULT_SCORE_BUDGET, free / 4)));
        } catch (RuntimeException e) {
            if (b != null) b.close();
            if (s != null) s.close();
            c.close();
            throw e;
        }
        this.ctx = c;
        this.stream = s;
        this.cublas = b;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> properties() {
        enter();
        try {
            Map<String, String> m = new LinkedHashMap<>();
            long[] mem = ctx.memInfo();
            m.put("device", device + ": " + ctx.deviceName());
            m.put("compute capability", ctx.computeCapability() / 10 + "." + ctx.computeCapability() % 10);
            m.put("multiprocessors", Integer.toString(ctx.multiprocessors()));
            m.put("memory", (mem[0] >> 20) + " MiB free of " + (mem[1] >> 20) + " MiB");
            m.put("driver", ctx.driverVersion());
            m.put("cublas", cublas.version());
            m.put("math", tf32 ? "TF32 tensor cores (opt-in)" : "FP32");
            m.put("attention path", path.name().toLowerCase(Locale.ROOT));
            m.put("half inputs", halfTensorCores
                    ? "tensor-core kernel where it applies (unverified on a GPU; ika.cuda.halfTensorCores)"
                    : "widened to float32 on the host");
            m.put("score budget", (scoreBudget >> 20) + " MiB");
            m.put("libraries", NativeLibraries.load().files().toString());
            return m;
        } finally {
            lock.unlock();
        }
    }

    /** Whether TF32 tensor-core math is on (its tolerance is looser than plain FP32's). */
    public boolean tf32() {
        return tf32;
    }

    /**
     * The path ({@link CudaPath#GEMM} or {@link CudaPath#FUSED}) a resident call with these arguments
     * takes: for benchmarks and diagnostics.
     */
    public CudaPath pathFor(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions options) {
        requireArg(options, "options");
        DeviceProblem dp = DeviceProblem.ofResident(own(q, "q"), own(k, "k"), own(v, "v"), options);
        if (options.kernel() instanceof PaperKernel) return CudaPath.GEMM;
        enter();
        try {
            return fusedKernel(kernels(), dp, false) != null ? CudaPath.FUSED : CudaPath.GEMM;
        } finally {
            lock.unlock();
        }
    }

    /** {free, total} device memory in bytes, as cuMemGetInfo reports it. */
    public long[] deviceMemory() {
        enter();
        try {
            return ctx.memInfo();
        } finally {
            lock.unlock();
        }
    }

    // ---- host calls -------------------------------------------------------------------------

    @Override
    public Support supports(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        AttentionProblem.validate(q, k, v, options);
        String why = CudaPaperKernels.unsupported(options.kernel());
        if (why != null) return Support.no(why);
        if (options.kernel() instanceof dev.ika4j.api.kernel.GatKernel) {
            return Support.no("backend 'cuda' has no GAT kernel; use the simd backend");
        }
        if (options.neighbourhood() != null) {
            return Support.no("backend 'cuda' has no kernel for neighbourhoods (" + options.neighbourhood()
                    + "); use the simd backend, which computes them in time proportional to the edges");
        }
        // Every dtype: half tensors are widened to float32 on the host as they are uploaded (the
        // device computes in float32; half outputs are rounded once, on the host, as they come back).
        return Support.yes();
    }

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        supports(q, k, v, options).orThrow();
        AttentionProblem p = AttentionProblem.of(q, k, v, options);
        if (p.kernel() instanceof PaperKernel) return paper().attention(p);
        DeviceProblem dp = DeviceProblem.of(p);
        Tensor out = q.like(p.outputDType(), p.batch(), p.qHeads(), p.qSeq(), p.vDim());
        Tensor energy = p.returnEnergy() ? Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), Math.max(p.kvSeq(), 1)) : null;
        ScoreStage stage = p.scoresOutput();
        Tensor scores = stage == null ? null : Tensor.zerosBhsd(p.batch(), p.qHeads(), p.qSeq(), Math.max(p.kvSeq(), 1));
        if (scores != null && p.kvSeq() == 0) java.util.Arrays.fill(scores.array(), p.noKeyScore());
        // Without keys, energy keeps one column of a key that does not exist: masked, so -inf.
        if (energy != null && p.kvSeq() == 0) java.util.Arrays.fill(energy.array(), Float.NEGATIVE_INFINITY);
        enter();
        try {
            HalfFlashKernels hk = halfTensorCores ? halfKernelsFor(p, dp, energy != null || scores != null) : null;
            if (hk != null) {
                halfAttention(hk, p, dp, out);
                return new AttentionResult(out, p.presentKey(), p.presentValue(), null, 0.0, null);
            }
        } finally {
            lock.unlock();
        }
        enter();
        try (DeviceBuffer dq = uploadNew(p.q());
             DeviceBuffer dk = uploadNew(p.presentKey());
             DeviceBuffer dv = uploadNew(p.presentValue());
             DeviceBuffer dout = allocateBytes(4L * out.size());
             DeviceBuffer de = energy != null && p.kvSeq() > 0 ? allocateBytes(4L * energy.size()) : null;
             DeviceBuffer ds = scores != null && p.kvSeq() > 0 ? allocateBytes(4L * scores.size()) : null) {
            compute(dp, dq, dk, dv, dout, de, ds, stage);
            downloadInto(dout, out);
            if (de != null) downloadInto(de, energy);
            if (ds != null) downloadInto(ds, scores);
        } finally {
            lock.unlock();
        }
        return new AttentionResult(out, p.presentKey(), p.presentValue(), energy, 0.0, scores);
    }

    // ---- resident calls ---------------------------------------------------------------------

    @Override
    public ResidentTensor allocate(int batch, int heads, int seq, int dim) {
        if (batch < 1 || heads < 1 || seq < 0 || dim < 1) {
            throw new IllegalArgumentException("allocate: every dimension must be >= 1 (seq may be 0), got ["
                    + batch + ", " + heads + ", " + seq + ", " + dim + "]");
        }
        enter();
        try {
            DeviceBuffer buf = allocateBytes(4L * batch * heads * seq * dim);
            return track(new CudaResident(this, buf, batch, heads, seq, dim));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ResidentTensor upload(Tensor host) {
        requireArg(host, "host");
        enter();
        try {
            DeviceBuffer buf = uploadNew(host);
            return track(new CudaResident(this, buf, host.batch(), host.heads(), host.seq(), host.dim()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void download(ResidentTensor src, Tensor host) {
        CudaResident r = own(src, "src");
        requireArg(host, "host");
        if (r.batch() != host.batch() || r.heads() != host.heads() || r.seq() != host.seq() || r.dim() != host.dim()) {
            throw new IllegalArgumentException("download: src " + src.shapeString() + " and host " + host.shapeString()
                    + " differ in shape");
        }
        enter();
        try {
            downloadInto(r.buffer(), host);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void attention(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions options,
                          ResidentTensor out) {
        requireArg(options, "options");
        if (options.neighbourhood() != null || options.kernel() instanceof dev.ika4j.api.kernel.GatKernel) {
            throw new UnsupportedOperationException("backend 'cuda' has no kernel for " + (options.neighbourhood() != null
                    ? "neighbourhoods (" + options.neighbourhood() + ")" : "GAT") + "; use the simd backend");
        }
        CudaResident rq = own(q, "q"), rk = own(k, "k"), rv = own(v, "v"), ro = own(out, "out");
        DeviceProblem dp = DeviceProblem.ofResident(rq, rk, rv, options);
        if (ro.batch() != dp.batch() || ro.heads() != dp.qHeads() || ro.seq() != dp.qSeq() || ro.dim() != dp.vDim()) {
            throw new IllegalArgumentException("out " + out.shapeString() + " must have shape [" + dp.batch() + ", "
                    + dp.qHeads() + ", " + dp.qSeq() + ", " + dp.vDim() + "]");
        }
        if (options.kernel() instanceof PaperKernel) {
            paper().attention((PaperKernel) options.kernel(), dp, rq, rk, rv, ro);
            return;
        }
        enter();
        try {
            compute(dp, rq.buffer(), rk.buffer(), rv.buffer(), ro.buffer(), null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fills {@code dst} with independent N(0, 1) draws from cuRAND's Philox generator seeded with
     * {@code seed}: the same seed gives the same values on the same device and library.
     */
    public void randomNormal(ResidentTensor dst, long seed) {
        CudaResident r = own(dst, "dst");
        long n = r.elements();
        if (n == 0) return;
        enter();
        try (Curand gen = Curand.create(stream, seed)) {
            // cuRAND draws normals in pairs (Box-Muller), so an odd count goes through a scratch buffer.
            if (n % 2 == 0) {
                gen.generateNormal(r.buffer().address(), n, 0f, 1f);
                stream.synchronize();
            } else {
                try (DeviceBuffer tmp = allocateBytes(4L * (n + 1))) {
                    gen.generateNormal(tmp.address(), n + 1, 0f, 1f);
                    r.buffer().copyFromDevice(tmp, 0, 0, 4L * n, stream);
                    stream.synchronize();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void synchronize() {
        enter();
        try {
            stream.synchronize();
        } finally {
            lock.unlock();
        }
    }

    // ---- the computation --------------------------------------------------------------------

    /**
     * out = softmax(mask(softcap(scale * Q.K^T))).V on the fused or the GEMM path; with
     * {@code scores} (and its {@code stage}) the GEMM path, which also copies that stage of the
     * score matrix there.
     */
    private void compute(DeviceProblem p, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, DeviceBuffer out,
                         DeviceBuffer energy, DeviceBuffer scores, ScoreStage stage) {
        if (p.kvSeq() == 0) {
            out.zero(stream);   // no key at all: every row fully masked
            stream.synchronize();
            return;
        }
        KernelLibrary lib = kernels();
        List<DeviceBuffer> temps = new ArrayList<>(2);
        try {
            long lensPtr = 0, maskPtr = 0;
            if (p.kvLengths() != null) {
                DeviceBuffer lens = allocateBytes(4L * p.kvLengths().length);
                temps.add(lens);
                lens.copyFromHost(MemorySegment.ofArray(p.kvLengths()), 0, stream);
                lensPtr = lens.address();
            }
            if (p.mask() != null) {
                float[] bias = p.maskBiases();
                DeviceBuffer m = allocateBytes(4L * bias.length);
                temps.add(m);
                m.copyFromHost(MemorySegment.ofArray(bias), 0, stream);
                maskPtr = m.address();
            }
            // Both paths must skip masked keys exactly when V holds a NaN or an infinity.
            long vCount = (long) p.batch() * p.kvHeads() * p.kvSeq() * p.vDim();
            DeviceBuffer nonFinite = flag();
            nonFinite.zero(stream);
            int scanBlocks = (int) Math.min(4096, (vCount + ROW_THREADS - 1) / ROW_THREADS);
            lib.flagNonFinite.launch(scanBlocks, 1, 1, ROW_THREADS, 1, 1, 0, stream,
                    v.address(), vCount, nonFinite.address());

            KernelLibrary.Flash fused = fusedKernel(lib, p, energy != null || scores != null);
            if (fused != null) {
                int qTiles = (p.qSeq() + KernelLibrary.FLASH_ROWS - 1) / KernelLibrary.FLASH_ROWS;
                fused.function().launch(qTiles, p.batch() * p.qHeads(), 1, KernelLibrary.FLASH_THREADS, 1, 1,
                        fused.sharedBytes(), stream,
                        q.address(), k.address(), v.address(), out.address(), p.qHeads(), p.group(), p.qSeq(),
                        p.kvSeq(), p.pastSeq(), p.causal() ? 1 : 0, lensPtr, p.dim(), p.vDim(), p.scale(),
                        nonFinite.address());
            } else {
                gemmPath(lib, p, q, k, v, out, energy, scores, stage, lensPtr, maskPtr, nonFinite);
            }
            // The per-call buffers may be freed only once the kernels reading them are done.
            if (!temps.isEmpty()) stream.synchronize();
        } finally {
            for (DeviceBuffer t : temps) t.close();
        }
    }

    /**
     * The tensor-core kernels when this host call can run on them: Q, K and V all float16 or all
     * bfloat16, a call the fused path takes (no mask, softcap or score matrix; not forced onto the
     * GEMM path), head dims up to 128, a device of compute capability 8.0 or newer. Else null, and
     * the call is widened to float32 as before.
     */
    private HalfFlashKernels halfKernelsFor(AttentionProblem p, DeviceProblem dp, boolean scoreMatrixAsked) {
        DType t = p.q().dtype();
        if (!t.isHalf() || p.presentKey().dtype() != t || p.presentValue().dtype() != t) return null;
        if (!fusedCall(dp, scoreMatrixAsked) || p.kvSeq() == 0) return null;
        HalfFlashKernels hk = halfKernels();
        return hk == null || hk.forDims(p.dim(), p.vDim(), t == DType.BFLOAT16) == null ? null : hk;
    }

    /** A host call on the tensor-core kernel: the half words go up as they are, float32 comes back. */
    private void halfAttention(HalfFlashKernels hk, AttentionProblem p, DeviceProblem dp, Tensor out) {
        boolean bf16 = p.q().dtype() == DType.BFLOAT16;
        DeviceBuffer lens = null;
        try (DeviceBuffer dq = uploadHalf(p.q());
             DeviceBuffer dk = uploadHalf(p.presentKey());
             DeviceBuffer dv = uploadHalf(p.presentValue());
             DeviceBuffer dout = allocateBytes(4L * out.size())) {
            long lensPtr = 0;
            if (dp.kvLengths() != null) {
                lens = allocateBytes(4L * dp.kvLengths().length);
                lens.copyFromHost(MemorySegment.ofArray(dp.kvLengths()), 0, stream);
                lensPtr = lens.address();
            }
            launchHalf(hk, bf16, dp, dq, dk, dv, dout, lensPtr);
            downloadInto(dout, out);   // synchronises: the buffers may then be freed
        } finally {
            if (lens != null) lens.close();
        }
    }

    /**
     * Queues the non-finite scan of V and the tensor-core kernel on the stream (the caller holds
     * the lock): Q, K, V hold half words in BHSD order, out receives float32.
     */
    void launchHalf(HalfFlashKernels hk, boolean bf16, DeviceProblem dp, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v,
                    DeviceBuffer out, long lensPtr) {
        KernelLibrary.Flash f = hk.forDims(dp.dim(), dp.vDim(), bf16);
        if (f == null) throw new IllegalArgumentException("no tensor-core kernel for d " + dp.dim() + ", v_dim " + dp.vDim());
        long vCount = (long) dp.batch() * dp.kvHeads() * dp.kvSeq() * dp.vDim();
        DeviceBuffer nonFinite = flag();
        nonFinite.zero(stream);
        int scanBlocks = (int) Math.max(1, Math.min(4096, (vCount + ROW_THREADS - 1) / ROW_THREADS));
        (bf16 ? hk.flagNonFiniteBf16 : hk.flagNonFiniteF16).launch(scanBlocks, 1, 1, ROW_THREADS, 1, 1, 0, stream,
                v.address(), vCount, nonFinite.address());
        int qTiles = (dp.qSeq() + HalfFlashKernels.ROWS - 1) / HalfFlashKernels.ROWS;
        f.function().launch(qTiles, dp.batch() * dp.qHeads(), 1, HalfFlashKernels.THREADS, 1, 1, f.sharedBytes(), stream,
                q.address(), k.address(), v.address(), out.address(), dp.qHeads(), dp.group(), dp.qSeq(),
                dp.kvSeq(), dp.pastSeq(), dp.causal() ? 1 : 0, lensPtr, dp.dim(), dp.vDim(), dp.scale(),
                nonFinite.address());
    }

    /** The tensor-core kernels (compiled at first use), or null on a device older than 8.0; under the lock. */
    HalfFlashKernels halfKernels() {
        if (!halfKernelsTried) {
            halfKernelsTried = true;
            halfKernels = HalfFlashKernels.load(ctx);
        }
        return halfKernels;
    }

    /** A half tensor's 16-bit words on the device, in BHSD order. */
    DeviceBuffer uploadHalf(Tensor t) {
        DeviceBuffer buf = allocateBytes(2L * t.size());
        try {
            if (t.size() > 0) buf.copyFromHost(halfWords(t), 0, stream);
            return buf;
        } catch (RuntimeException e) {
            buf.close();
            throw e;
        }
    }

    /** The tensor's half words as one contiguous BHSD segment, without a copy when they already are. */
    static MemorySegment halfWords(Tensor t) {
        if (t.layout() == Tensor.Layout.BHSD) return t.segment();
        short[] w = new short[Math.toIntExact(t.size())];
        float[] row = new float[t.dim()];
        int o = 0;
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = 0; s < t.seq(); s++) {
                    t.readRow(b, h, s, row, 0);
                    for (int c = 0; c < row.length; c++) w[o++] = t.dtype().narrow(row[c]);   // exact: widened from half
                }
        return MemorySegment.ofArray(w);
    }

    /**
     * Whether a fused kernel (float32 or half) can take this call: the GEMM path is not forced, no
     * mask, softcap or score matrix, and the grid's y dimension (batch x query heads) fits.
     */
    private boolean fusedCall(DeviceProblem p, boolean scoreMatrixAsked) {
        return path != CudaPath.GEMM && p.mask() == null && !(p.softcap() > 0f) && !scoreMatrixAsked
                && (long) p.batch() * p.qHeads() <= 65535;
    }

    /** The fused kernel for this call, or null when it takes the GEMM path (always when a score matrix is asked for). */
    private KernelLibrary.Flash fusedKernel(KernelLibrary lib, DeviceProblem p, boolean scoreMatrixAsked) {
        if (!fusedCall(p, scoreMatrixAsked)) return null;
        KernelLibrary.Flash f = lib.flashFor(p.dim(), p.vDim());
        if (f == null) return null;
        return path == CudaPath.FUSED || prefersFused(p) ? f : null;
    }

    /**
     * The auto choice between two paths that both support the call, set from Runs 2-4 on an H100
     * (docs/gpu.md, batch 4 x 16 heads, FP32): the fused kernel won every causal shape (it skips
     * the key tiles above the diagonal) and every non-causal shape with head dim 64 (0.80-0.85x of
     * PyTorch's SDPA from 2048 keys on; at 1024 keys the two paths swapped places between runs and
     * fused won two of three); the GEMM path won non-causal head dim 128, where cuBLAS sustains
     * ~36 TFLOP/s against the fused kernel's ~31.
     */
    static boolean prefersFused(DeviceProblem p) {
        return p.causal() || Math.max(p.dim(), p.vDim()) <= 64;
    }

    /**
     * The GEMM path, in query blocks [i0, i0 + rows) of which each sees keys [0, ld): all of
     * them, or for a causal block only those up to its last row's diagonal, and never beyond the
     * longest valid length.
     *
     * <p>cuBLAS is column-major, and a row-major [r, c] matrix is a column-major [c, r] one, so:
     * S^T [ld, rows] = K [ld, d] (K stored as col-major [d, kv], hence transA) . Q_blk^T [d, rows]
     * (Q_blk stored as col-major [d, rows] as is), and O_blk^T [dv, rows] = V^T [dv, ld] (V stored
     * as col-major [dv, kv] as is) . P^T [ld, rows] (P stored as col-major [ld, rows] as is). No
     * operand is transposed in memory. The batch of each GEMM runs over (batch, kv_head); a loop
     * over the {@code group} query heads sharing a kv head picks every group-th query head through
     * the strides, so K and V are never copied per query head.
     *
     * <p>The scores output is copied out of the score block by {@code ika_scores_out}: before the
     * softmax for the stages up to AFTER_MASK, after it for AFTER_SOFTMAX. The stages before the
     * mask need every key's score, so then each block's GEMM spans all kv_seq keys.
     */
    private void gemmPath(KernelLibrary lib, DeviceProblem p, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v,
                          DeviceBuffer out, DeviceBuffer energy, DeviceBuffer scoresOut, ScoreStage stage,
                          long lensPtr, long maskPtr, DeviceBuffer nonFinite) {
        int B = p.batch(), Hq = p.qHeads(), Hkv = p.kvHeads(), G = p.group();
        int Lq = p.qSeq(), Lk = p.kvSeq(), D = p.dim(), Dv = p.vDim();
        int[] md = p.mask() != null ? p.mask().dims4() : new int[] {1, 1, 1, 1};
        int maxLen = p.kvLengths() == null ? Lk : Arrays.stream(p.kvLengths()).max().orElse(Lk);
        boolean plain = p.mask() == null && !(p.softcap() > 0f) && energy == null && scoresOut == null && !p.causal()
                && p.kvLengths() == null;
        boolean everyKey = scoresOut != null && (stage == ScoreStage.SCALED_QK || stage == ScoreStage.AFTER_SOFTCAP);

        int nb = (int) Math.max(1, Math.min(Lq, scoreBudget / p.scoreRowBytes()));
        if (p.causal()) nb = Math.min(nb, causalBlockRows(Lq));
        DeviceBuffer s = scores((long) nb * p.scoreRowBytes());
        int pvThreads = Math.min(ROW_THREADS, (Dv + 31) / 32 * 32);
        long energyPtr = energy == null ? 0L : energy.address();

        for (int i0 = 0; i0 < Lq; i0 += nb) {
            int rows = Math.min(nb, Lq - i0);
            int ld = Math.min(Lk, maxLen);
            if (p.causal()) ld = (int) Math.min(ld, (long) p.pastSeq() + i0 + rows);
            if (everyKey) ld = Lk;
            ld = Math.max(ld, 1);   // keys [limit, ld) are masked in the softmax whatever ld is
            for (int r = 0; r < G; r++) {
                cublas.sgemmStridedBatched(true, false, ld, rows, D, 1f,
                        k.address(), D, (long) Lk * D,
                        q.address() + 4L * ((long) r * Lq * D + (long) i0 * D), D, (long) G * Lq * D,
                        0f, s.address() + 4L * ((long) r * rows * ld), ld, (long) G * rows * ld,
                        B * Hkv);
            }
            int rowCount = B * Hq * rows;
            if (scoresOut != null && stage != ScoreStage.AFTER_SOFTMAX) copyScores(lib, p, s, ld, rows, i0, md, lensPtr, maskPtr, scoresOut, stage);
            if (ld <= lib.maxStagedRow) {
                int threads = stagedThreads(ld);
                if (plain) {
                    lib.softmaxStagedPlain.launch(rowCount, 1, 1, threads, 1, 1, Float.BYTES * ld, stream,
                            s.address(), ld, p.scale());
                } else {
                    lib.softmaxStaged.launch(rowCount, 1, 1, threads, 1, 1, Float.BYTES * ld, stream,
                            s.address(), ld, rows, Hq, Lk, i0, p.pastSeq(), p.causal() ? 1 : 0,
                            p.scale(), p.softcap(), lensPtr,
                            maskPtr, md[0], md[1], md[2], md[3],
                            energyPtr, Lq);
                }
            } else {
                lib.softmaxRows.launch(rowCount, 1, 1, ROW_THREADS, 1, 1, 0, stream,
                        s.address(), ld, rows, Hq, Lk, i0, p.pastSeq(), p.causal() ? 1 : 0,
                        p.scale(), p.softcap(), lensPtr,
                        maskPtr, md[0], md[1], md[2], md[3],
                        energyPtr, Lq);
            }
            if (scoresOut != null && stage == ScoreStage.AFTER_SOFTMAX) copyScores(lib, p, s, ld, rows, i0, md, lensPtr, maskPtr, scoresOut, stage);
            for (int r = 0; r < G; r++) {
                cublas.sgemmStridedBatched(false, false, Dv, rows, ld, 1f,
                        v.address(), Dv, (long) Lk * Dv,
                        s.address() + 4L * ((long) r * rows * ld), ld, (long) G * rows * ld,
                        0f, out.address() + 4L * ((long) r * Lq * Dv + (long) i0 * Dv), Dv, (long) G * Lq * Dv,
                        B * Hkv);
            }
            lib.pvExact.launch(rowCount, 1, 1, pvThreads, 1, 1, 0, stream,
                    nonFinite.address(), s.address(), v.address(), out.address(), ld,
                    rows, Hq, G, Lk, Dv, Lq, i0);
        }
    }

    /** One stage of the score block [i0, i0 + rows) into the scores output (see {@code ika_scores_out}). */
    private void copyScores(KernelLibrary lib, DeviceProblem p, DeviceBuffer s, int ld, int rows, int i0, int[] md,
                            long lensPtr, long maskPtr, DeviceBuffer scoresOut, ScoreStage stage) {
        lib.scoresOut.launch(p.batch() * p.qHeads() * rows, 1, 1, ROW_THREADS, 1, 1, 0, stream,
                s.address(), ld, rows, p.qHeads(), p.kvSeq(), i0, p.pastSeq(), p.causal() ? 1 : 0,
                p.scale(), p.softcap(), lensPtr,
                maskPtr, md[0], md[1], md[2], md[3],
                scoresOut.address(), p.qSeq(), stage.onnxMode());
    }

    /** Query rows per block of a causal call: about an eighth of them, in multiples of 64. */
    static int causalBlockRows(int qSeq) {
        int eighth = (qSeq + CAUSAL_BLOCKS - 1) / CAUSAL_BLOCKS;
        return Math.max(64, (eighth + 63) / 64 * 64);
    }

    /**
     * Threads of a staged softmax block for rows of {@code ld} keys: about four units (a float4,
     * or a float where ld is no multiple of 4) per thread, so each block keeps a few 16-byte loads
     * in flight and several rows share a multiprocessor; a multiple of 32 in [32, 1024].
     */
    static int stagedThreads(int ld) {
        int units = ld % 4 == 0 ? ld / 4 : ld;
        int threads = ((units + 3) / 4 + 31) / 32 * 32;
        return Math.max(32, Math.min(1024, threads));
    }

    /** The paper kernels of this backend (they share its context, stream, cuBLAS handle and score buffer). */
    CudaPaperKernels paper() {
        CudaPaperKernels pk = paper;
        if (pk == null) {
            lock.lock();
            try {
                if (paper == null) paper = new CudaPaperKernels(this);
                pk = paper;
            } finally {
                lock.unlock();
            }
        }
        return pk;
    }

    KernelLibrary kernels() {
        if (kernels == null) kernels = KernelLibrary.load(ctx);
        return kernels;
    }

    DeviceBuffer scores(long bytes) {
        if (scores == null || scores.bytes() < bytes) {
            if (scores != null) {
                stream.synchronize();
                scores.close();
                scores = null;
            }
            scores = DeviceBuffer.allocate(ctx, bytes);
        }
        return scores;
    }

    DeviceBuffer flag() {
        if (flag == null) flag = DeviceBuffer.allocate(ctx, 4);
        return flag;
    }

    // ---- memory -----------------------------------------------------------------------------

    /** A device buffer of at least 4 bytes (the driver rejects empty allocations). */
    DeviceBuffer allocateBytes(long bytes) {
        return DeviceBuffer.allocate(ctx, Math.max(bytes, 4));
    }

    DeviceBuffer uploadNew(Tensor t) {
        DeviceBuffer buf = allocateBytes(4L * t.size());
        try {
            if (t.size() > 0) buf.copyFromHost(contiguous(t), 0, stream);
            return buf;
        } catch (RuntimeException e) {
            buf.close();
            throw e;
        }
    }

    /**
     * The tensor's values as one contiguous BHSD float32 segment, without a copy when they already
     * are; a half tensor is widened (exactly) on the host here, since the kernels read float32.
     */
    private static MemorySegment contiguous(Tensor t) {
        if (t.layout() == Tensor.Layout.BHSD && t.dtype() == DType.FLOAT32) return t.segment();
        return MemorySegment.ofArray(t.toArray());
    }

    void downloadInto(DeviceBuffer src, Tensor host) {
        if (host.size() == 0) return;
        if (host.layout() == Tensor.Layout.BHSD && host.dtype() == DType.FLOAT32) {
            src.copyToHost(0, host.segment(), stream);
            return;
        }
        float[] tmp = new float[Math.toIntExact(host.size())];
        src.copyToHost(0, MemorySegment.ofArray(tmp), stream);
        int o = 0;
        for (int b = 0; b < host.batch(); b++)
            for (int h = 0; h < host.heads(); h++)
                for (int s = 0; s < host.seq(); s++, o += host.dim()) host.writeRow(b, h, s, tmp, o);
    }

    private CudaResident track(CudaResident r) {
        residents.add(r);
        return r;
    }

    private static void requireArg(Object x, String arg) {
        Objects.requireNonNull(x, arg);
    }

    CudaResident own(ResidentTensor r, String arg) {
        requireArg(r, arg);
        if (!(r instanceof CudaResident c) || c.owner() != this) {
            throw new IllegalArgumentException(arg + " " + r.shapeString() + " belongs to backend '" + r.backend()
                    + (r instanceof CudaResident ? "' (another instance)" : "'") + ", not this '" + NAME + "' backend");
        }
        if (c.isClosed()) throw new IllegalArgumentException(arg + " " + r.shapeString() + " is closed");
        return c;
    }

    void release(CudaResident r) {
        if (closed) return;   // freed with the backend
        lock.lock();
        try {
            if (closed || r.isClosed()) return;
            ctx.makeCurrent();
            stream.synchronize();   // a queued kernel may still read it
            residents.remove(r);
            r.free();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock with the context current on this thread; callers unlock in finally ({@link #leave}). */
    /** Releases the lock {@link #enter} took; for test-scope harnesses that drive the stream themselves. */
    void unlockForBench() {
        lock.unlock();
    }

    void enter() {
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException("cuda backend is closed");
        }
        try {
            ctx.makeCurrent();
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** Releases the lock {@link #enter} took. */
    void leave() {
        lock.unlock();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            ctx.makeCurrent();
            try {
                stream.synchronize();
            } finally {
                for (CudaResident r : residents) r.free();
                residents.clear();
                if (paper != null) paper.close();
                if (kernels != null) kernels.close();
                if (halfKernels != null) halfKernels.close();
                if (scores != null) scores.close();
                if (flag != null) flag.close();
                cublas.close();
                stream.close();
                ctx.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "CudaBackend[device " + device + (tf32 ? ", tf32" : "") + "]";
    }
}
