/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Element-wise stages of standard attention, run between the two cuBLAS GEMMs (S = Q.K^T and
// O = P.V). Compiled at run time by NVRTC and checked here with `nvcc -ptx`, so the file includes
// nothing: NVRTC has no system headers, only the built-in device functions.
//
// Layout of the score block S: [batch, q_heads, nb, ld] row-major, one row per query of the
// current query block [i0, i0 + nb). ld <= kv_seq is the number of keys the block can see (a
// causal block sees only [0, past + i0 + nb), a block with valid lengths only [0, max length));
// keys at or beyond ld are masked by definition. Every row kernel uses one thread block per row.
//
// Two softmax kernels: ika_softmax_staged keeps the row in shared memory, so the scores are read
// once and the probabilities written once (the pass is bound by memory bandwidth, and this halves
// its traffic); ika_softmax_rows, for rows too long for shared memory, reads and writes twice.

#define IKA_NEG_INF __int_as_float(0xff800000)
#define IKA_POS_INF __int_as_float(0x7f800000)
#define IKA_NAN __int_as_float(0x7fffffff)
// A masked key's probability is written as -0.0f: a zero for the GEMM, yet distinguishable from
// an exp() that merely underflowed, so the exact P.V path below can skip masked keys like the
// reference does (0 * NaN in a masked V row must not reach the output).
#define IKA_MASKED_BITS ((int)0x80000000)
#define IKA_MASKED __int_as_float(IKA_MASKED_BITS)
#define IKA_MAX_WARPS 32

extern __shared__ float4 ika_row_smem[];

// Running softmax statistics: m = max logit so far, s = sum of exp(logit - m).
__device__ __forceinline__ void ika_combine(float& m, float& s, float m2, float s2) {
    float mn = fmaxf(m, m2);
    if (mn == IKA_NEG_INF) {
        m = mn;
        s = 0.f;
        return;
    }
    float a = (m == IKA_NEG_INF) ? 0.f : s * expf(m - mn);
    float b = (m2 == IKA_NEG_INF) ? 0.f : s2 * expf(m2 - mn);
    m = mn;
    s = a + b;
}

// Where one score row lives and what limits it: keys [limit, ld) are masked, mrow is the row's
// additive mask (null when none), erow the row of the energy output (null when not asked).
struct IkaRow {
    float* s;
    const float* mrow;
    float* erow;
    int limit;
};

__device__ __forceinline__ IkaRow ika_row(float* scores, int ld, int nb, int qHeads, int i0, int pastSeq,
                                          int causal, const int* kvLens, const float* mask, int m0, int m1,
                                          int m2, int m3, float* energy, int kvSeq, int qSeq) {
    const int row = blockIdx.x;
    const int ii = row % nb;
    const int bh = row / nb;
    const int h = bh % qHeads;
    const int b = bh / qHeads;
    const int i = i0 + ii;
    IkaRow r;
    r.s = scores + (long long)row * ld;
    int limit = kvLens ? kvLens[b] : ld;
    if (limit > ld) limit = ld;
    if (causal && pastSeq + i + 1 < limit) limit = pastSeq + i + 1;
    r.limit = limit;
    r.mrow = 0;
    if (mask) {
        long long mb = (m0 == 1) ? 0 : b;
        long long mh = (m1 == 1) ? 0 : h;
        long long mi = (m2 == 1) ? 0 : i;
        r.mrow = mask + ((mb * m1 + mh) * m2 + mi) * m3;
    }
    r.erow = energy ? energy + ((long long)bh * qSeq + i) * kvSeq : 0;
    return r;
}

// The final logit of key j: scaled, soft-capped score plus the mask's bias; -inf for a masked key
// whatever its raw score (NaN included), as in the reference.
__device__ __forceinline__ float ika_logit(float raw, int j, const IkaRow& r, int m3, float scale, float softcap) {
    float bias = 0.f;
    if (j >= r.limit) {
        bias = IKA_NEG_INF;
    } else if (r.mrow) {
        bias = (m3 == 1) ? r.mrow[0] : (j < m3 ? r.mrow[j] : IKA_NEG_INF);
    }
    if (bias == IKA_NEG_INF) return IKA_NEG_INF;
    float x = scale * raw;
    if (softcap > 0.f) x = softcap * tanhf(x / softcap);
    return x + bias;
}

// A logit that makes its row NaN (NaN itself, or +inf, whose exp(inf - inf) poisons the sum).
__device__ __forceinline__ int ika_poisons(float x) {
    return (x != x) | (x == IKA_POS_INF);
}

// Block-wide max and "any bad": every thread gets the result. blockDim.x is a multiple of 32.
__device__ __forceinline__ void ika_block_max_any(float& m, int& bad) {
    __shared__ float shMax[IKA_MAX_WARPS];
    __shared__ int shBad[IKA_MAX_WARPS];
    for (int off = 16; off > 0; off >>= 1) {
        m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, off));
        bad |= __shfl_xor_sync(0xffffffffu, bad, off);
    }
    const int warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    if ((threadIdx.x & 31) == 0) {
        shMax[warp] = m;
        shBad[warp] = bad;
    }
    __syncthreads();
    m = shMax[0];
    bad = shBad[0];
    for (int w = 1; w < warps; w++) {
        m = fmaxf(m, shMax[w]);
        bad |= shBad[w];
    }
}

// Block-wide sum, added in the same order by every thread so all of them get the same value.
__device__ __forceinline__ float ika_block_sum(float s) {
    __shared__ float shSum[IKA_MAX_WARPS];
    for (int off = 16; off > 0; off >>= 1) s += __shfl_xor_sync(0xffffffffu, s, off);
    const int warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    if ((threadIdx.x & 31) == 0) shSum[warp] = s;
    __syncthreads();
    float t = 0.f;
    for (int w = 0; w < warps; w++) t += shSum[w];
    return t;
}

// Units of W floats: 16-byte accesses when the row length is a multiple of 4 (W = 4).
template <int W> __device__ __forceinline__ void ika_get(const float* p, int u, float* x);
template <> __device__ __forceinline__ void ika_get<4>(const float* p, int u, float* x) {
    float4 t = reinterpret_cast<const float4*>(p)[u];
    x[0] = t.x;
    x[1] = t.y;
    x[2] = t.z;
    x[3] = t.w;
}
template <> __device__ __forceinline__ void ika_get<1>(const float* p, int u, float* x) {
    x[0] = p[u];
}
template <int W> __device__ __forceinline__ void ika_put(float* p, int u, const float* x);
template <> __device__ __forceinline__ void ika_put<4>(float* p, int u, const float* x) {
    reinterpret_cast<float4*>(p)[u] = make_float4(x[0], x[1], x[2], x[3]);
}
template <> __device__ __forceinline__ void ika_put<1>(float* p, int u, const float* x) {
    p[u] = x[0];
}

// One row softmax with the row staged in shared memory (ld floats of dynamic shared memory):
// pass 1 reads the scores from global memory once, turns them into logits and keeps them; pass 2
// turns them into exp(x - max) in place; pass 3 writes exp / sum to global memory once. Every
// thread touches the same units in every pass, so only the two reductions need barriers.
// GENERAL = false is the plain case (no mask, softcap, causal, lengths or energy): x = scale * s.
template <bool GENERAL, int W>
__device__ __forceinline__ void ika_softmax_staged_row(const IkaRow& r, int ld, int kvSeq, int m3, float scale,
                                                       float softcap) {
    float* sh = reinterpret_cast<float*>(ika_row_smem);
    const int units = ld / W;
    float m = IKA_NEG_INF;
    int bad = 0;
    for (int u = threadIdx.x; u < units; u += blockDim.x) {
        float x[W];
        ika_get<W>(r.s, u, x);
#pragma unroll
        for (int e = 0; e < W; e++) {
            if (GENERAL) {
                x[e] = ika_logit(x[e], u * W + e, r, m3, scale, softcap);
                if (r.erow) r.erow[u * W + e] = x[e];
            } else {
                x[e] = scale * x[e];
            }
            bad |= ika_poisons(x[e]);
            m = fmaxf(m, x[e]);
        }
        ika_put<W>(sh, u, x);
    }
    if (GENERAL && r.erow) {
        for (int j = ld + threadIdx.x; j < kvSeq; j += blockDim.x) r.erow[j] = IKA_NEG_INF;
    }
    ika_block_max_any(m, bad);

    float sum = 0.f;
    if (!bad) {
        for (int u = threadIdx.x; u < units; u += blockDim.x) {
            float x[W];
            ika_get<W>(sh, u, x);
#pragma unroll
            for (int e = 0; e < W; e++) {
                x[e] = (x[e] == IKA_NEG_INF) ? IKA_MASKED : expf(x[e] - m);
                sum += x[e];
            }
            ika_put<W>(sh, u, x);
        }
    }
    sum = ika_block_sum(sum);
    const float inv = 1.f / sum;
    for (int u = threadIdx.x; u < units; u += blockDim.x) {
        float x[W];
        ika_get<W>(sh, u, x);
#pragma unroll
        for (int e = 0; e < W; e++) {
            if (bad) {
                x[e] = IKA_NAN;
            } else if (__float_as_int(x[e]) != IKA_MASKED_BITS) {
                x[e] *= inv;
            }
        }
        ika_put<W>(r.s, u, x);
    }
}

// Every option (scale, soft-capping, causal/lengths limit, mask, energy), row staged in shared
// memory: ld * 4 bytes of dynamic shared memory per block. Same results as ika_softmax_rows.
extern "C" __global__ void ika_softmax_staged(
        float* scores, int ld, int nb, int qHeads, int kvSeq, int i0, int pastSeq, int causal,
        float scale, float softcap, const int* kvLens,
        const float* mask, int m0, int m1, int m2, int m3,
        float* energy, int qSeq) {
    IkaRow r = ika_row(scores, ld, nb, qHeads, i0, pastSeq, causal, kvLens, mask, m0, m1, m2, m3, energy, kvSeq, qSeq);
    if ((ld & 3) == 0) {
        ika_softmax_staged_row<true, 4>(r, ld, kvSeq, m3, scale, softcap);
    } else {
        ika_softmax_staged_row<true, 1>(r, ld, kvSeq, m3, scale, softcap);
    }
}

// The plain case: no mask, soft-capping, causal, lengths or energy; every one of the ld keys of
// every row is visible. Rows of ld floats at scores + blockIdx.x * ld; ld * 4 bytes of dynamic
// shared memory per block.
extern "C" __global__ void ika_softmax_staged_plain(float* scores, int ld, float scale) {
    IkaRow r;
    r.s = scores + (long long)blockIdx.x * ld;
    r.mrow = 0;
    r.erow = 0;
    r.limit = ld;
    if ((ld & 3) == 0) {
        ika_softmax_staged_row<false, 4>(r, ld, ld, 1, scale, 0.f);
    } else {
        ika_softmax_staged_row<false, 1>(r, ld, ld, 1, scale, 0.f);
    }
}

// scale, soft-capping, causal/lengths limit and mask turned into final logits (written back into
// S and, when asked, into the energy output), then the row softmax with its max subtracted
// written over them. A row whose every key is masked becomes all "masked" zeros (so its output is
// zero); a row with a NaN or +inf logit becomes NaN (as in the reference, where exp(inf - inf)
// poisons the sum). Any row length: reads and writes the row twice (online max and sum).
extern "C" __global__ void ika_softmax_rows(
        float* scores, int ld, int nb, int qHeads, int kvSeq, int i0, int pastSeq, int causal,
        float scale, float softcap, const int* kvLens,
        const float* mask, int m0, int m1, int m2, int m3,
        float* energy, int qSeq) {
    __shared__ float shMax[IKA_MAX_WARPS];
    __shared__ float shSum[IKA_MAX_WARPS];
    __shared__ int shBad[IKA_MAX_WARPS];

    IkaRow r = ika_row(scores, ld, nb, qHeads, i0, pastSeq, causal, kvLens, mask, m0, m1, m2, m3, energy, kvSeq, qSeq);
    float* s = r.s;

    float m = IKA_NEG_INF, sum = 0.f;
    int bad = 0;
    for (int j = threadIdx.x; j < ld; j += blockDim.x) {
        float x = ika_logit(s[j], j, r, m3, scale, softcap);
        s[j] = x;
        if (r.erow) r.erow[j] = x;
        if (ika_poisons(x)) {
            bad = 1;
        } else if (x > m) {
            sum = sum * expf(m - x) + 1.f;
            m = x;
        } else if (x != IKA_NEG_INF) {
            sum += expf(x - m);
        }
    }
    if (r.erow) {
        for (int j = ld + threadIdx.x; j < kvSeq; j += blockDim.x) r.erow[j] = IKA_NEG_INF;
    }

    for (int off = 16; off > 0; off >>= 1) {
        float m2o = __shfl_xor_sync(0xffffffffu, m, off);
        float s2 = __shfl_xor_sync(0xffffffffu, sum, off);
        int b2 = __shfl_xor_sync(0xffffffffu, bad, off);
        ika_combine(m, sum, m2o, s2);
        bad |= b2;
    }
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, warps = (blockDim.x + 31) >> 5;
    if (lane == 0) {
        shMax[warp] = m;
        shSum[warp] = sum;
        shBad[warp] = bad;
    }
    __syncthreads();
    if (warp == 0) {
        m = lane < warps ? shMax[lane] : IKA_NEG_INF;
        sum = lane < warps ? shSum[lane] : 0.f;
        bad = lane < warps ? shBad[lane] : 0;
        for (int off = 16; off > 0; off >>= 1) {
            float m2o = __shfl_xor_sync(0xffffffffu, m, off);
            float s2 = __shfl_xor_sync(0xffffffffu, sum, off);
            int b2 = __shfl_xor_sync(0xffffffffu, bad, off);
            ika_combine(m, sum, m2o, s2);
            bad |= b2;
        }
        if (lane == 0) {
            shMax[0] = m;
            shSum[0] = sum;
            shBad[0] = bad;
        }
    }
    __syncthreads();
    m = shMax[0];
    sum = shSum[0];
    bad = shBad[0];

    // Each thread reads back exactly the entries it wrote above, so no further barrier is needed.
    for (int j = threadIdx.x; j < ld; j += blockDim.x) {
        float x = s[j];
        float p;
        if (bad) {
            p = IKA_NAN;
        } else if (x == IKA_NEG_INF) {
            p = IKA_MASKED;
        } else {
            p = expf(x - m) / sum;
        }
        s[j] = p;
    }
}

// The scores output (ONNX qk_matmul_output) of the current query block: one stage of S copied
// into out [batch, q_heads, qSeq, kvSeq]. Stages 0 (scale * S), 1 (soft-capped) and 2 (the final
// logits, masks added and -inf where masked, exactly as the softmax kernels form them) are read
// from the raw GEMM output, so this runs before the softmax; stage 3 (the probabilities) runs after
// it, and the masked -0.0 marker becomes 0. Keys at or beyond ld are masked: -inf at stage 2, 0 at
// stage 3 (NaN in a NaN row, as the reference); stages 0 and 1 are launched with ld = kvSeq, since they need every key's score. One
// thread block per row, as the softmax kernels.
extern "C" __global__ void ika_scores_out(
        const float* scores, int ld, int nb, int qHeads, int kvSeq, int i0, int pastSeq, int causal,
        float scale, float softcap, const int* kvLens,
        const float* mask, int m0, int m1, int m2, int m3,
        float* out, int qSeq, int stage) {
    IkaRow r = ika_row(const_cast<float*>(scores), ld, nb, qHeads, i0, pastSeq, causal, kvLens, mask, m0, m1, m2, m3,
                       out, kvSeq, qSeq);
    for (int j = threadIdx.x; j < kvSeq; j += blockDim.x) {
        float x;
        if (j >= ld) {
            // A NaN row of probabilities is NaN throughout (the softmax wrote NaN to all ld keys).
            x = (stage == 2) ? IKA_NEG_INF : (r.s[0] != r.s[0]) ? IKA_NAN : 0.f;
        } else if (stage == 3) {
            x = r.s[j];
            if (__float_as_int(x) == IKA_MASKED_BITS) x = 0.f;
        } else if (stage == 2) {
            x = ika_logit(r.s[j], j, r, m3, scale, softcap);
        } else {
            x = scale * r.s[j];
            if (stage == 1 && softcap > 0.f) x = softcap * tanhf(x / softcap);
        }
        r.erow[j] = x;
    }
}

// Sets *flag to 1 when any of the n values is NaN or infinite. Grid-stride loop.
extern "C" __global__ void ika_flag_nonfinite(const float* x, long long n, int* flag) {
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < n; t += stride) {
        if (!(fabsf(x[t]) <= 3.402823466e38f)) *flag = 1;
    }
}

// O = P.V for the rows of one query block, skipping masked keys exactly as the reference does.
// Runs only when V holds a non-finite value (*flag set by ika_flag_nonfinite); otherwise every
// block returns at once and the cuBLAS result stands. One thread block per row, threads over v_dim.
// P rows hold ld keys; V holds kvSeq keys per head (keys at or beyond ld are masked anyway).
extern "C" __global__ void ika_pv_exact(
        const int* flag, const float* probs, const float* v, float* out, int ld,
        int nb, int qHeads, int group, int kvSeq, int vDim, int qSeq, int i0) {
    if (*flag == 0) return;
    const int row = blockIdx.x;
    const int ii = row % nb;
    const int bh = row / nb;
    const int h = bh % qHeads;
    const int b = bh / qHeads;
    const int kvHeads = qHeads / group;
    const float* p = probs + (long long)row * ld;
    const float* vh = v + ((long long)b * kvHeads + h / group) * kvSeq * vDim;
    float* o = out + ((long long)bh * qSeq + i0 + ii) * vDim;
    for (int c = threadIdx.x; c < vDim; c += blockDim.x) {
        float acc = 0.f;
        for (int j = 0; j < ld; j++) {
            float w = p[j];
            if (__float_as_int(w) == IKA_MASKED_BITS) continue;
            acc += w * vh[(long long)j * vDim + c];
        }
        o[c] = acc;
    }
}
