/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Fused standard attention forward in FP32 (flash attention): the score matrix never reaches
// global memory. Compiled at run time by NVRTC and checked here with `nvcc -ptx`; includes nothing.
//
// One thread block of 256 threads computes 64 query rows of one (batch, query head). It keeps the
// Q tile in shared memory and streams the visible keys in tiles of 64: K and V tiles are copied
// into shared memory asynchronously (cp.async; V arrives while S = Q.K^T is computed), S goes to
// registers, the online softmax rescales the running output, P goes through shared memory, and
// O += P.V accumulates in registers. Thread (ty, tx) = (tid / 16, tid % 16) owns query rows
// ty*4 .. ty*4+3; of S it owns keys tx + 16*j (j < 4), of O columns 64*c + tx*4 .. +3 (c < DM/64).
// The 16 threads of a row sit in one half-warp, so row max and sum are shuffles.
//
// Semantics are the reference's: logit = scale * q.k; keys at or beyond a row's limit (causal,
// valid lengths) get -inf whatever their raw score; a row with a NaN or +inf logit is NaN; a row
// with no visible key is zero. When V holds a NaN or infinity (*nonFiniteV, set by
// ika_flag_nonfinite), masked keys are skipped rather than multiplied by zero, so 0 * NaN in a
// masked V row cannot leak. Masks, soft-capping and the energy output take the GEMM path.
//
// DM (64 or 128) bounds d and v_dim; smaller dims are zero-padded in shared memory. Dims that are
// multiples of 4 use 16-byte copies, others 4-byte ones.

#define IKA_NEG_INF __int_as_float(0xff800000)
#define IKA_POS_INF __int_as_float(0x7f800000)
#define IKA_NAN __int_as_float(0x7fffffff)
#define IKA_MASKED_BITS ((int)0x80000000)
#define IKA_MASKED __int_as_float(IKA_MASKED_BITS)

#define IKA_FA_BQ 64
#define IKA_FA_BK 64
#define IKA_FA_THREADS 256
// Row padding of Q, K and P in shared memory: rows 16 apart then start 4 banks apart, so the 16
// key rows a half-warp reads at once spread over all 32 banks.
#define IKA_FA_PAD 4

extern __shared__ float4 ika_flash_smem[];

#if __CUDA_ARCH__ >= 800
__device__ __forceinline__ unsigned ika_shared_address(const void* p) {
    unsigned a;
    asm("{ .reg .u64 t; cvta.to.shared.u64 t, %1; cvt.u32.u64 %0, t; }" : "=r"(a) : "l"(p));
    return a;
}
#endif

// 16 bytes global -> shared, or 16 zero bytes when !valid (src must still be a valid address).
__device__ __forceinline__ void ika_copy16(float* dst, const float* src, bool valid) {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n"
                 :: "r"(ika_shared_address(dst)), "l"(src), "r"(valid ? 16 : 0) : "memory");
#else
    *reinterpret_cast<float4*>(dst) = valid ? *reinterpret_cast<const float4*>(src) : make_float4(0.f, 0.f, 0.f, 0.f);
#endif
}

__device__ __forceinline__ void ika_copy4(float* dst, const float* src, bool valid) {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n"
                 :: "r"(ika_shared_address(dst)), "l"(src), "r"(valid ? 4 : 0) : "memory");
#else
    *dst = valid ? *src : 0.f;
#endif
}

__device__ __forceinline__ void ika_copy_commit() {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.commit_group;\n" ::: "memory");
#endif
}

// Waits until at most N committed copy groups of this thread are still in flight.
template <int N>
__device__ __forceinline__ void ika_copy_wait() {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.wait_group %0;\n" :: "n"(N) : "memory");
#endif
}

// Rows [r0, r0 + 64) of a row-major [n][d] matrix into shared rows of pitch sp, DM columns each:
// rows at or beyond nValid and columns at or beyond d are zero.
template <int DM>
__device__ __forceinline__ void ika_load_tile(float* dst, int sp, const float* src, int d, int r0, int nValid) {
    if ((d & 3) == 0) {
        constexpr int C4 = DM / 4;
#pragma unroll
        for (int it = 0; it < IKA_FA_BK * C4 / IKA_FA_THREADS; it++) {
            const int f = threadIdx.x + it * IKA_FA_THREADS;
            const int row = f / C4, c = (f % C4) * 4, g = r0 + row;
            const bool ok = g < nValid && c < d;
            ika_copy16(dst + row * sp + c, ok ? src + (long long)g * d + c : src, ok);
        }
    } else {
#pragma unroll 4
        for (int it = 0; it < IKA_FA_BK * DM / IKA_FA_THREADS; it++) {
            const int f = threadIdx.x + it * IKA_FA_THREADS;
            const int row = f / DM, c = f % DM, g = r0 + row;
            const bool ok = g < nValid && c < d;
            ika_copy4(dst + row * sp + c, ok ? src + (long long)g * d + c : src, ok);
        }
    }
}

__device__ __forceinline__ float ika_lane(const float4& v, int e) {
    return e == 0 ? v.x : e == 1 ? v.y : e == 2 ? v.z : v.w;
}

// O[r][:] += sum over the tile's 64 keys of P[r][key] * V[key][:], for the thread's 4 rows.
// GUARD skips masked keys (P = -0.0) instead of adding 0 * V, for when V holds NaN or infinity.
template <int DM, bool GUARD>
__device__ __forceinline__ void ika_accumulate_pv(float (&o)[4][DM / 16], const float* Ps, const float* Vs,
                                                  int tx, int ty) {
    constexpr int PP = IKA_FA_BK + IKA_FA_PAD;
    constexpr int OC = DM / 64;
#pragma unroll 4
    for (int kk = 0; kk < IKA_FA_BK; kk += 4) {
        float4 p[4];
#pragma unroll
        for (int r = 0; r < 4; r++) p[r] = *reinterpret_cast<const float4*>(Ps + (ty * 4 + r) * PP + kk);
#pragma unroll
        for (int e = 0; e < 4; e++) {
#pragma unroll
            for (int c = 0; c < OC; c++) {
                const float4 v = *reinterpret_cast<const float4*>(Vs + (kk + e) * DM + c * 64 + tx * 4);
#pragma unroll
                for (int r = 0; r < 4; r++) {
                    const float w = ika_lane(p[r], e);
#pragma unroll
                    for (int x = 0; x < 4; x++) {
                        const float add = fmaf(w, ika_lane(v, x), o[r][c * 4 + x]);
                        o[r][c * 4 + x] = (GUARD && __float_as_int(w) == IKA_MASKED_BITS) ? o[r][c * 4 + x] : add;
                    }
                }
            }
        }
    }
}

template <int DM>
__device__ __forceinline__ void ika_flash_forward(
        const float* q, const float* k, const float* v, float* out,
        int qHeads, int group, int qSeq, int kvSeq, int pastSeq, int causal, const int* kvLens,
        int d, int dv, float scale, const int* nonFiniteV) {
    constexpr int BQ = IKA_FA_BQ, BK = IKA_FA_BK;
    constexpr int QP = DM + IKA_FA_PAD;
    constexpr int PP = BK + IKA_FA_PAD;
    constexpr int OC = DM / 64;
    float* Qs = reinterpret_cast<float*>(ika_flash_smem);  // [BQ][QP]
    float* Ks = Qs + BQ * QP;                               // [BK][QP]; P [BQ][PP] once S is done
    float* Vs = Ks + BK * QP;                               // [BK][DM]
    float* Ps = Ks;

    const int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
    const int qTiles = (qSeq + BQ - 1) / BQ;
    const int i0 = (qTiles - 1 - (int)blockIdx.x) * BQ;  // the longest causal rows start first
    const int bh = blockIdx.y, h = bh % qHeads, b = bh / qHeads;
    const long long kvHead = (long long)b * (qHeads / group) + h / group;
    const float* qh = q + (long long)bh * qSeq * d;
    const float* kh = k + kvHead * kvSeq * d;
    const float* vh = v + kvHead * kvSeq * dv;
    float* oh = out + (long long)bh * qSeq * dv;

    const int len = kvLens ? kvLens[b] : kvSeq;
    int limit[4];
#pragma unroll
    for (int r = 0; r < 4; r++) {
        const int i = i0 + ty * 4 + r;
        limit[r] = (causal && pastSeq + i + 1 < len) ? pastSeq + i + 1 : len;
    }
    int kvEnd = len;
    if (causal) kvEnd = min(len, pastSeq + min(i0 + BQ, qSeq));
    const bool guard = *nonFiniteV != 0;

    ika_load_tile<DM>(Qs, QP, qh, d, i0, qSeq);
    ika_copy_commit();

    float o[4][DM / 16];
    float m[4], l[4];
    int bad = 0;  // bit r: row r has a NaN or +inf logit
#pragma unroll
    for (int r = 0; r < 4; r++) {
        m[r] = IKA_NEG_INF;
        l[r] = 0.f;
#pragma unroll
        for (int c = 0; c < DM / 16; c++) o[r][c] = 0.f;
    }

    for (int kv0 = 0; kv0 < kvEnd; kv0 += BK) {
        ika_load_tile<DM>(Ks, QP, kh, d, kv0, kvSeq);
        ika_copy_commit();
        ika_load_tile<DM>(Vs, DM, vh, dv, kv0, kvSeq);
        ika_copy_commit();
        ika_copy_wait<1>();  // Q and K are in; V may still be on its way
        __syncthreads();

        float s[4][4];
#pragma unroll
        for (int r = 0; r < 4; r++)
#pragma unroll
            for (int j = 0; j < 4; j++) s[r][j] = 0.f;
#pragma unroll 4
        for (int c = 0; c < DM; c += 4) {
            float4 a[4], kc[4];
#pragma unroll
            for (int r = 0; r < 4; r++) a[r] = *reinterpret_cast<const float4*>(Qs + (ty * 4 + r) * QP + c);
#pragma unroll
            for (int j = 0; j < 4; j++) kc[j] = *reinterpret_cast<const float4*>(Ks + (tx + 16 * j) * QP + c);
#pragma unroll
            for (int e = 0; e < 4; e++)
#pragma unroll
                for (int r = 0; r < 4; r++)
#pragma unroll
                    for (int j = 0; j < 4; j++) s[r][j] = fmaf(ika_lane(a[r], e), ika_lane(kc[j], e), s[r][j]);
        }

        // Online softmax: s becomes P = exp(x - m_new) (-0.0 for a masked key), the running sum
        // and output are rescaled by exp(m_old - m_new).
#pragma unroll
        for (int r = 0; r < 4; r++) {
            float mx = IKA_NEG_INF;
#pragma unroll
            for (int j = 0; j < 4; j++) {
                float x = scale * s[r][j];
                if (kv0 + tx + 16 * j >= limit[r]) x = IKA_NEG_INF;
                if (x != x || x == IKA_POS_INF) bad |= 1 << r;
                s[r][j] = x;
                mx = fmaxf(mx, x);
            }
#pragma unroll
            for (int off = 8; off > 0; off >>= 1) mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, off));
            const float mNew = fmaxf(m[r], mx);
            const float alpha = (mNew == IKA_NEG_INF) ? 1.f : expf(m[r] - mNew);
            float rowSum = 0.f;
#pragma unroll
            for (int j = 0; j < 4; j++) {
                const float x = s[r][j];
                s[r][j] = (x == IKA_NEG_INF) ? IKA_MASKED : expf(x - mNew);
                rowSum += s[r][j];
            }
#pragma unroll
            for (int off = 8; off > 0; off >>= 1) rowSum += __shfl_xor_sync(0xffffffffu, rowSum, off);
            l[r] = l[r] * alpha + rowSum;
            m[r] = mNew;
#pragma unroll
            for (int c = 0; c < DM / 16; c++) o[r][c] *= alpha;
        }

        __syncthreads();  // every thread is done with K: its space takes P
#pragma unroll
        for (int r = 0; r < 4; r++)
#pragma unroll
            for (int j = 0; j < 4; j++) Ps[(ty * 4 + r) * PP + tx + 16 * j] = s[r][j];
        ika_copy_wait<0>();
        __syncthreads();
        if (guard) {
            ika_accumulate_pv<DM, true>(o, Ps, Vs, tx, ty);
        } else {
            ika_accumulate_pv<DM, false>(o, Ps, Vs, tx, ty);
        }
        __syncthreads();  // the next tile overwrites K/P and V
    }
    ika_copy_wait<0>();  // the Q copy, when no key was visible at all

#pragma unroll
    for (int off = 8; off > 0; off >>= 1) bad |= __shfl_xor_sync(0xffffffffu, bad, off);
#pragma unroll
    for (int r = 0; r < 4; r++) {
        const int i = i0 + ty * 4 + r;
        if (i >= qSeq) continue;
        const bool nan = (bad >> r) & 1, none = m[r] == IKA_NEG_INF;
        float* orow = oh + (long long)i * dv;
#pragma unroll
        for (int c = 0; c < OC; c++) {
            const int col = c * 64 + tx * 4;
            float y[4];
#pragma unroll
            for (int x = 0; x < 4; x++) y[x] = nan ? IKA_NAN : none ? 0.f : o[r][c * 4 + x] / l[r];
            if ((dv & 3) == 0) {
                if (col < dv) *reinterpret_cast<float4*>(orow + col) = make_float4(y[0], y[1], y[2], y[3]);
            } else {
#pragma unroll
                for (int x = 0; x < 4; x++)
                    if (col + x < dv) orow[col + x] = y[x];
            }
        }
    }
}

// d, v_dim <= 64. Grid (ceil(q_seq / 64), batch * q_heads), 256 threads,
// (2 * 64 * 68 + 64 * 64) * 4 = 51200 bytes of dynamic shared memory.
extern "C" __global__ void __launch_bounds__(IKA_FA_THREADS, 2) ika_flash_d64(
        const float* q, const float* k, const float* v, float* out,
        int qHeads, int group, int qSeq, int kvSeq, int pastSeq, int causal, const int* kvLens,
        int d, int dv, float scale, const int* nonFiniteV) {
    ika_flash_forward<64>(q, k, v, out, qHeads, group, qSeq, kvSeq, pastSeq, causal, kvLens, d, dv, scale, nonFiniteV);
}

// d, v_dim <= 128. As ika_flash_d64, with (2 * 64 * 132 + 64 * 128) * 4 = 100352 bytes.
extern "C" __global__ void __launch_bounds__(IKA_FA_THREADS, 2) ika_flash_d128(
        const float* q, const float* k, const float* v, float* out,
        int qHeads, int group, int qSeq, int kvSeq, int pastSeq, int causal, const int* kvLens,
        int d, int dv, float scale, const int* nonFiniteV) {
    ika_flash_forward<128>(q, k, v, out, qHeads, group, qSeq, kvSeq, pastSeq, causal, kvLens, d, dv, scale, nonFiniteV);
}
