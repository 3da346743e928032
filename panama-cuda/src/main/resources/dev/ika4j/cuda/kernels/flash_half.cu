/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Fused standard attention forward for float16 and bfloat16 Q, K, V on tensor cores
// (mma.sync.m16n8k16, the register layout of FlashAttention-2), with float32 accumulation, a
// float32 online softmax and a float32 output. Needs sm_80 or newer; compiled at run time by
// NVRTC, checked here with `nvcc -ptx -arch=sm_90`; includes nothing: halves travel as
// unsigned short and are converted with PTX cvt.
//
// Without __CUDA_ARCH__ (the CPU emulation, src/test/emu/test_flash_half.cpp) every tensor-core
// and conversion instruction takes a scalar fallback; the emulated mma (emu.h) distributes the
// fragments exactly as the PTX ISA's "Matrix Fragments for mma.m16n8k16" says, so the emulation
// checks this kernel's indexing against that layout. It cannot check speed.
//
// One block of 128 threads (4 warps) computes 64 query rows of one (batch, query head); warp w
// owns rows 16w .. 16w + 15. In a warp, lane = 4 g + t (g the PTX groupID, t the thread in its
// group): of every 16 x 8 float accumulator tile the lane holds rows g and g + 8, columns 2t and
// 2t + 1 (c0 c1 | c2 c3). S = Q K^T: Q's A fragments stay in registers for the whole block; K
// sits row-major in shared memory, which is already the B ("col") operand: each B register is
// one 32-bit load of two neighbouring head dims. P.V: the accumulator layout of S is the A
// layout of the next mma (two 8-key tiles make one 16-key step), so P goes from registers to
// registers, rounded to the input type, as FlashAttention-2 does; V's B fragments pair two keys
// of one column, two 16-bit shared loads (ldmatrix.trans would do it in one; kept simple until
// a GPU can measure it).
//
// Semantics are those of flash.cu (and the reference): logit = scale * q.k in float32; keys at
// or beyond a row's limit (causal, valid lengths) get -inf whatever their raw score; a row with
// a NaN or +inf logit is NaN; a row with no visible key is zero. When V holds a NaN or infinity
// (*nonFiniteV), P.V runs as scalar float32 loops that skip masked keys, so 0 * NaN in a masked
// V row cannot leak (rare; tensor cores cannot skip). Masks, soft-capping and the energy output
// take the GEMM path.
//
// DM (64 or 128) bounds d and v_dim; smaller dims are zero-padded in shared memory. Dims that are
// multiples of 8 use 16-byte loads, others 2-byte ones.

#define IKA_NEG_INF __int_as_float(0xff800000)
#define IKA_POS_INF __int_as_float(0x7f800000)
#define IKA_NAN __int_as_float(0x7fffffff)
#define IKA_MASKED_BITS ((int)0x80000000)
#define IKA_MASKED __int_as_float(IKA_MASKED_BITS)

#define IKA_FH_BQ 64
#define IKA_FH_BK 64
#define IKA_FH_THREADS 128
// Row padding in halves: a row of DM + 8 halves is 4 banks further along than the one before,
// so the 8 rows x 4 words a B-fragment load touches fall on 32 distinct banks.
#define IKA_FH_PAD 8
// Row padding of the float P tile of the guarded path.
#define IKA_FH_PPAD 4

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
#error "flash_half.cu needs sm_80 or newer (mma.sync.m16n8k16 with float32 accumulators)"
#endif

extern __shared__ float4 ika_flash_half_smem[];

// ---- conversions --------------------------------------------------------------------------

// The float value of the 16-bit element in the low (hi = 0) or high half of a 32-bit word.
template <bool BF16>
__device__ __forceinline__ float ika_half_to_float(unsigned short h) {
    if (BF16) return __int_as_float((int)((unsigned)h << 16));
#if defined(__CUDA_ARCH__)
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
#else
    const unsigned sign = (unsigned)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    unsigned bits;
    if (exp == 0x1fu) {
        bits = sign | 0x7f800000u | (man << 13);  // inf, NaN
    } else if (exp != 0) {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    } else if (man == 0) {
        bits = sign;
    } else {  // subnormal: normalise
        int e = -1;
        unsigned m = man;
        do { m <<= 1; e++; } while ((m & 0x400u) == 0);
        bits = sign | ((unsigned)(112 - e) << 23) | ((m & 0x3ffu) << 13);
    }
    return __int_as_float((int)bits);
#endif
}

#if !defined(__CUDA_ARCH__)
// Round to nearest even, as cvt.rn does.
inline unsigned short ika_float_to_f16_soft(float f) {
    const unsigned x = (unsigned)__float_as_int(f), sign = (x >> 16) & 0x8000u;
    const unsigned ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return (unsigned short)(sign | 0x7e00u);         // NaN
    if (ax >= 0x477ff000u) return (unsigned short)(sign | 0x7c00u);        // rounds to inf
    if (ax < 0x38800000u) {                                                // subnormal or zero
        if (ax < 0x33000000u) return (unsigned short)sign;
        const unsigned e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;
        const unsigned shift = 126u - e;                                   // 14 .. 24
        unsigned r = m >> shift;
        const unsigned rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
        if (rem > half || (rem == half && (r & 1u))) r++;
        return (unsigned short)(sign | r);
    }
    unsigned r = ((ax >> 13) - (112u << 10));
    const unsigned rem = ax & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (r & 1u))) r++;
    return (unsigned short)(sign | r);
}

inline unsigned short ika_float_to_bf16_soft(float f) {
    const unsigned x = (unsigned)__float_as_int(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((x >> 16) | 0x40u);  // NaN stays NaN
    return (unsigned short)((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}
#endif

// Two floats rounded to the input type, lo in the low 16 bits (the lower-indexed element).
template <bool BF16>
__device__ __forceinline__ unsigned ika_pack2(float lo, float hi) {
#if defined(__CUDA_ARCH__)
    unsigned r;
    if (BF16) {
        asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    } else {
        asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    }
    return r;
#else
    const unsigned a = BF16 ? ika_float_to_bf16_soft(lo) : ika_float_to_f16_soft(lo);
    const unsigned b = BF16 ? ika_float_to_bf16_soft(hi) : ika_float_to_f16_soft(hi);
    return a | (b << 16);
#endif
}

// ---- the tensor-core step -----------------------------------------------------------------

// c += A (16 x 16, row) * B (16 x 8, col) for the warp; the registers as the PTX ISA lays them out.
template <bool BF16>
__device__ __forceinline__ void ika_mma(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
#if defined(__CUDA_ARCH__)
    if (BF16) {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
                     : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    } else {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
                     : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    }
#else
    ika_emu_mma_16816(c, a, b0, b1, BF16);  // emu.h
#endif
}

// ---- loads --------------------------------------------------------------------------------

// Rows [r0, r0 + 64) of a row-major [n][d] half matrix into shared rows of pitch sp halves, DM
// columns each: rows at or beyond nValid and columns at or beyond d are zero.
template <int DM>
__device__ __forceinline__ void ika_half_tile(unsigned short* dst, int sp, const unsigned short* src, int d, int r0,
                                              int nValid) {
    if ((d & 7) == 0) {
        constexpr int C8 = DM / 8;
#pragma unroll 4
        for (int f = threadIdx.x; f < IKA_FH_BK * C8; f += IKA_FH_THREADS) {
            const int row = f / C8, c = (f % C8) * 8, g = r0 + row;
            uint4 x = make_uint4(0u, 0u, 0u, 0u);
            if (g < nValid && c < d) x = *reinterpret_cast<const uint4*>(src + (long long)g * d + c);
            *reinterpret_cast<uint4*>(dst + row * sp + c) = x;
        }
    } else {
#pragma unroll 4
        for (int f = threadIdx.x; f < IKA_FH_BK * DM; f += IKA_FH_THREADS) {
            const int row = f / DM, c = f % DM, g = r0 + row;
            dst[row * sp + c] = (g < nValid && c < d) ? src[(long long)g * d + c] : (unsigned short)0;
        }
    }
}

__device__ __forceinline__ unsigned ika_word(const unsigned short* p) {
    return *reinterpret_cast<const unsigned*>(p);
}

// ---- the kernel ---------------------------------------------------------------------------

template <int DM, bool BF16>
__device__ __forceinline__ void ika_flash_half_forward(
        const unsigned short* q, const unsigned short* k, const unsigned short* v, float* out,
        int qHeads, int group, int qSeq, int kvSeq, int pastSeq, int causal, const int* kvLens,
        int d, int dv, float scale, const int* nonFiniteV) {
    constexpr int BQ = IKA_FH_BQ, BK = IKA_FH_BK, SP = DM + IKA_FH_PAD, PP = BK + IKA_FH_PPAD;
    constexpr int KS = DM / 16, ND = DM / 8;
    unsigned short* Qs = reinterpret_cast<unsigned short*>(ika_flash_half_smem);  // [BQ][SP]
    unsigned short* Ks = Qs + BQ * SP;                                             // [BK][SP]
    unsigned short* Vs = Ks + BK * SP;                                             // [BK][SP]
    float* Ps = reinterpret_cast<float*>(Vs + BK * SP);                            // [BQ][PP], guarded path only

    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, g = lane >> 2, t = lane & 3;
    const int qTiles = (qSeq + BQ - 1) / BQ;
    const int i0 = (qTiles - 1 - (int)blockIdx.x) * BQ;  // the longest causal rows start first
    const int bh = blockIdx.y, h = bh % qHeads, b = bh / qHeads;
    const long long kvHead = (long long)b * (qHeads / group) + h / group;
    const unsigned short* qh = q + (long long)bh * qSeq * d;
    const unsigned short* kh = k + kvHead * kvSeq * d;
    const unsigned short* vh = v + kvHead * kvSeq * dv;
    float* oh = out + (long long)bh * qSeq * dv;

    // This lane's two rows, local to the block: rr[0] = 16 warp + g, rr[1] = rr[0] + 8.
    const int rr[2] = {16 * warp + g, 16 * warp + g + 8};
    const int len = kvLens ? kvLens[b] : kvSeq;
    int limit[2];
#pragma unroll
    for (int x = 0; x < 2; x++) {
        const int i = i0 + rr[x];
        limit[x] = (causal && pastSeq + i + 1 < len) ? pastSeq + i + 1 : len;
    }
    int kvEnd = len;
    if (causal) kvEnd = min(len, pastSeq + min(i0 + BQ, qSeq));
    const bool guard = *nonFiniteV != 0;

    ika_half_tile<DM>(Qs, SP, qh, d, i0, qSeq);
    __syncthreads();
    unsigned qa[KS][4];
#pragma unroll
    for (int kk = 0; kk < KS; kk++) {
        const int c = kk * 16 + 2 * t;
        qa[kk][0] = ika_word(Qs + rr[0] * SP + c);
        qa[kk][1] = ika_word(Qs + rr[1] * SP + c);
        qa[kk][2] = ika_word(Qs + rr[0] * SP + c + 8);
        qa[kk][3] = ika_word(Qs + rr[1] * SP + c + 8);
    }

    float o[ND][4];
#pragma unroll
    for (int nd = 0; nd < ND; nd++)
#pragma unroll
        for (int x = 0; x < 4; x++) o[nd][x] = 0.f;
    float m[2] = {IKA_NEG_INF, IKA_NEG_INF};
    float l[2] = {0.f, 0.f};  // this lane's share of the row sums; the quad adds them at the end
    int bad = 0;              // bit x: row rr[x] has a NaN or +inf logit

    for (int kv0 = 0; kv0 < kvEnd; kv0 += BK) {
        __syncthreads();  // every warp is done with the previous K, V (and P)
        ika_half_tile<DM>(Ks, SP, kh, d, kv0, kvSeq);
        ika_half_tile<DM>(Vs, SP, vh, dv, kv0, kvSeq);
        __syncthreads();

        float s[8][4];
#pragma unroll
        for (int nt = 0; nt < 8; nt++)
#pragma unroll
            for (int x = 0; x < 4; x++) s[nt][x] = 0.f;
#pragma unroll
        for (int kk = 0; kk < KS; kk++) {
#pragma unroll
            for (int nt = 0; nt < 8; nt++) {
                const unsigned short* kr = Ks + (nt * 8 + g) * SP + kk * 16 + 2 * t;
                ika_mma<BF16>(s[nt], qa[kk], ika_word(kr), ika_word(kr + 8));
            }
        }

        // Online softmax over the tile; s becomes P = exp(x - m_new), -0.0 for a masked key.
#pragma unroll
        for (int x = 0; x < 2; x++) {
            float mx = IKA_NEG_INF;
#pragma unroll
            for (int nt = 0; nt < 8; nt++) {
#pragma unroll
                for (int e = 0; e < 2; e++) {
                    float y = scale * s[nt][2 * x + e];
                    if (kv0 + nt * 8 + 2 * t + e >= limit[x]) y = IKA_NEG_INF;
                    if (y != y || y == IKA_POS_INF) bad |= 1 << x;
                    s[nt][2 * x + e] = y;
                    mx = fmaxf(mx, y);
                }
            }
            // The four lanes of a quad hold the row's 64 keys between them.
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
            const float mNew = fmaxf(m[x], mx);
            const float alpha = (mNew == IKA_NEG_INF) ? 1.f : expf(m[x] - mNew);
            float rowSum = 0.f;
#pragma unroll
            for (int nt = 0; nt < 8; nt++) {
#pragma unroll
                for (int e = 0; e < 2; e++) {
                    const float y = s[nt][2 * x + e];
                    const float p = (y == IKA_NEG_INF) ? IKA_MASKED : expf(y - mNew);
                    s[nt][2 * x + e] = p;
                    rowSum += p;
                }
            }
            l[x] = l[x] * alpha + rowSum;
            m[x] = mNew;
#pragma unroll
            for (int nd = 0; nd < ND; nd++) {
                o[nd][2 * x] *= alpha;
                o[nd][2 * x + 1] *= alpha;
            }
        }

        if (!guard) {
#pragma unroll
            for (int ks = 0; ks < BK / 16; ks++) {
                unsigned pa[4];
                pa[0] = ika_pack2<BF16>(s[2 * ks][0], s[2 * ks][1]);
                pa[1] = ika_pack2<BF16>(s[2 * ks][2], s[2 * ks][3]);
                pa[2] = ika_pack2<BF16>(s[2 * ks + 1][0], s[2 * ks + 1][1]);
                pa[3] = ika_pack2<BF16>(s[2 * ks + 1][2], s[2 * ks + 1][3]);
                const unsigned short* v0 = Vs + (ks * 16 + 2 * t) * SP + g;
#pragma unroll
                for (int nd = 0; nd < ND; nd++) {
                    const unsigned short* vc = v0 + nd * 8;
                    const unsigned b0 = (unsigned)vc[0] | ((unsigned)vc[SP] << 16);
                    const unsigned b1 = (unsigned)vc[8 * SP] | ((unsigned)vc[9 * SP] << 16);
                    ika_mma<BF16>(o[nd], pa, b0, b1);
                }
            }
        } else {
            // Non-finite values somewhere: float32 P.V that skips masked keys (P = -0.0).
#pragma unroll
            for (int x = 0; x < 2; x++)
#pragma unroll
                for (int nt = 0; nt < 8; nt++)
#pragma unroll
                    for (int e = 0; e < 2; e++) Ps[rr[x] * PP + nt * 8 + 2 * t + e] = s[nt][2 * x + e];
            __syncthreads();
#pragma unroll
            for (int x = 0; x < 2; x++) {
                for (int j = 0; j < BK; j++) {
                    const float p = Ps[rr[x] * PP + j];
                    if (__float_as_int(p) == IKA_MASKED_BITS) continue;
#pragma unroll
                    for (int nd = 0; nd < ND; nd++) {
#pragma unroll
                        for (int e = 0; e < 2; e++) {
                            const float vv = ika_half_to_float<BF16>(Vs[j * SP + nd * 8 + 2 * t + e]);
                            o[nd][2 * x + e] = fmaf(p, vv, o[nd][2 * x + e]);
                        }
                    }
                }
            }
        }
    }

#pragma unroll
    for (int x = 0; x < 2; x++) {
        l[x] += __shfl_xor_sync(0xffffffffu, l[x], 1);
        l[x] += __shfl_xor_sync(0xffffffffu, l[x], 2);
    }
    bad |= __shfl_xor_sync(0xffffffffu, bad, 1);
    bad |= __shfl_xor_sync(0xffffffffu, bad, 2);
#pragma unroll
    for (int x = 0; x < 2; x++) {
        const int i = i0 + rr[x];
        if (i >= qSeq) continue;
        const bool nan = (bad >> x) & 1, none = m[x] == IKA_NEG_INF;
        float* orow = oh + (long long)i * dv;
#pragma unroll
        for (int nd = 0; nd < ND; nd++) {
#pragma unroll
            for (int e = 0; e < 2; e++) {
                const int col = nd * 8 + 2 * t + e;
                if (col < dv) orow[col] = nan ? IKA_NAN : none ? 0.f : o[nd][2 * x + e] / l[x];
            }
        }
    }
}

// Grid (ceil(q_seq / 64), batch * q_heads), 128 threads; dynamic shared memory
// 3 * 64 * (DM + 8) * 2 bytes, plus 64 * 68 * 4 for the guarded path's P: 45056 bytes at
// DM = 64, 69632 at DM = 128 (above 48 KiB: the host raises the function's limit).
#define IKA_FLASH_HALF_ENTRY(NAME, DM, BF16)                                                          \
    extern "C" __global__ void __launch_bounds__(IKA_FH_THREADS) NAME(                               \
            const unsigned short* q, const unsigned short* k, const unsigned short* v, float* out,   \
            int qHeads, int group, int qSeq, int kvSeq, int pastSeq, int causal, const int* kvLens, \
            int d, int dv, float scale, const int* nonFiniteV) {                                     \
        ika_flash_half_forward<DM, BF16>(q, k, v, out, qHeads, group, qSeq, kvSeq, pastSeq, causal,  \
                                         kvLens, d, dv, scale, nonFiniteV);                          \
    }

IKA_FLASH_HALF_ENTRY(ika_flash_f16_d64, 64, false)
IKA_FLASH_HALF_ENTRY(ika_flash_f16_d128, 128, false)
IKA_FLASH_HALF_ENTRY(ika_flash_bf16_d64, 64, true)
IKA_FLASH_HALF_ENTRY(ika_flash_bf16_d128, 128, true)

// *flag = 1 when any of the n half words is an infinity or NaN (all exponent bits set): the
// half inputs' counterpart of attention.cu's ika_flag_nonfinite, for the kernels' guard.
#define IKA_FLAG_NONFINITE_HALF(NAME, EXP_BITS)                                              \
    extern "C" __global__ void NAME(const unsigned short* x, long long n, int* flag) {      \
        const long long stride = (long long)gridDim.x * blockDim.x;                          \
        for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) { \
            if ((x[i] & (EXP_BITS)) == (EXP_BITS)) *flag = 1;                                \
        }                                                                                    \
    }

IKA_FLAG_NONFINITE_HALF(ika_flag_nonfinite_f16, 0x7c00u)
IKA_FLAG_NONFINITE_HALF(ika_flag_nonfinite_bf16, 0x7f80u)
