/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The per-row and per-pair stages of the paper's kernels (Implicit Kernel Attention) on the GEMM
// path. Compiled at run time by NVRTC (no headers) and checked here with `nvcc -ptx`.
//
// Every paper logit is  f(S_ij) + colTerm_j + rowTerm_i  where S comes from one cuBLAS SGEMM:
//   RBF x importance (sections 1, 2): S = q.k / tau, f(S) = S,
//       colTerm = (|k|_p^2 - |k|_2^2) / (2 tau), rowTerm = (|q|_p^2 - |q|_2^2) / (2 tau)
//       (since -|q-k|^2 / (2 tau) = (2 q.k - |q|^2 - |k|^2) / (2 tau); at p = 2 both terms vanish);
//   spectral (sections 3 to 6): S = phi(q).phi(k) / (4M), f(S) = log(S^2 + eps),
//       colTerm = I_p(k), rowTerm = I_p(q).
// rowTerm is constant along a softmax row, so it only enters the energy. Both terms are shifted by
// the largest valid colTerm of their (batch, kv head) so the float32 logits stay small whatever
// the norms (the softmax does not see a per-row constant; the energy adds it back).
//
// The norms and phases are computed in float64 from the float32 rows, as the reference does, so
// the features carry float32 rounding only when stored.

#define IKA_NEG_INF __int_as_float(0xff800000)
#define IKA_NAN_D __longlong_as_double(0x7ff8000000000000LL)
#define IKA_NEG_INF_D __longlong_as_double((long long)0xfff0000000000000ULL)
#define IKA_MAX_WARPS 32

// |x|_p^2 of one row in float64, written as max^2 (sum (|x_r| / max)^p)^(2/p) so that no power
// overflows (the reference's form); p = +inf gives max^2; NaN in x gives NaN. Also returns
// |x|_2^2 in *l2. One warp per row: every lane gets the result.
__device__ __forceinline__ double ika_lp_norm_sq(const float* x, int d, double p, double* l2) {
    double mx = 0.0;
    int nan = 0;
    for (int r = threadIdx.x & 31; r < d; r += 32) {
        double a = fabs((double)x[r]);
        if (a != a) nan = 1;
        else mx = fmax(mx, a);
    }
    for (int off = 16; off > 0; off >>= 1) {
        mx = fmax(mx, __shfl_xor_sync(0xffffffffu, mx, off));
        nan |= __shfl_xor_sync(0xffffffffu, nan, off);
    }
    if (nan) {
        *l2 = IKA_NAN_D;
        return IKA_NAN_D;
    }
    if (mx == 0.0 || isinf(mx)) {
        *l2 = mx * mx;
        return mx * mx;
    }
    double s2 = 0.0, sp = 0.0;
    const int general = !(p == 2.0) && !isinf(p);
    for (int r = threadIdx.x & 31; r < d; r += 32) {
        double a = fabs((double)x[r]) / mx;
        s2 += a * a;
        if (general) sp += pow(a, p);
    }
    for (int off = 16; off > 0; off >>= 1) {
        s2 += __shfl_xor_sync(0xffffffffu, s2, off);
        sp += __shfl_xor_sync(0xffffffffu, sp, off);
    }
    *l2 = mx * mx * s2;
    if (p == 2.0) return mx * mx * s2;
    if (isinf(p)) return mx * mx;
    return mx * mx * pow(sp, 2.0 / p);
}

// Per row of x ([rows, d] row-major): out = I_p(x) = |x|_p^2 / (2 tau), or with rbf != 0 the RBF
// correction (|x|_p^2 - |x|_2^2) / (2 tau) (exactly 0 at p = 2). One warp per row.
extern "C" __global__ void ika_row_importance(const float* x, long long rows, int d, double p, double inv2tau,
                                              int rbf, double* out) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    if (row >= rows) return;
    double l2;
    double n = ika_lp_norm_sq(x + row * d, d, p, &l2);
    double v;
    if (rbf) v = (p == 2.0) ? 0.0 : (n - l2) * inv2tau;
    else v = n * inv2tau;
    if ((threadIdx.x & 31) == 0) out[row] = v;
}

// One block per (batch, kv head): shift = the largest impK over the batch's valid keys (0 when
// none is finite); colTerm_j = impK_j - shift for every key; rowTerm_i = impQ_i + shift for every
// query of the group's query heads. float64 in, float32 out.
extern "C" __global__ void ika_paper_terms(const double* impQ, const double* impK, int qHeads, int kvHeads, int qSeq,
                                           int kvSeq, const int* kvLens, float* rowTerm, float* colTerm) {
    __shared__ double shMax[IKA_MAX_WARPS];
    const int bk = blockIdx.x;
    const int b = bk / kvHeads, kh = bk % kvHeads;
    const int group = qHeads / kvHeads;
    int len = kvLens ? kvLens[b] : kvSeq;
    if (len > kvSeq) len = kvSeq;
    const double* ik = impK + (long long)bk * kvSeq;
    double m = IKA_NEG_INF_D;
    for (int j = threadIdx.x; j < len; j += blockDim.x) {
        double v = ik[j];
        if (v > m) m = v;
    }
    for (int off = 16; off > 0; off >>= 1) m = fmax(m, __shfl_xor_sync(0xffffffffu, m, off));
    const int warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    if ((threadIdx.x & 31) == 0) shMax[warp] = m;
    __syncthreads();
    m = shMax[0];
    for (int w = 1; w < warps; w++) m = fmax(m, shMax[w]);
    const double shift = isfinite(m) ? m : 0.0;
    float* ct = colTerm + (long long)bk * kvSeq;
    for (int j = threadIdx.x; j < kvSeq; j += blockDim.x) ct[j] = (float)(ik[j] - shift);
    for (int r = 0; r < group; r++) {
        const long long base = ((long long)b * qHeads + kh * group + r) * qSeq;
        for (int i = threadIdx.x; i < qSeq; i += blockDim.x) rowTerm[base + i] = (float)(impQ[base + i] + shift);
    }
}

// phi(x) = [cos a + cos b ; sin a + sin b], a = W1c^T x, b = W2c^T x (c folded into W), for every
// row of x under every feature head: feature head h (a query head) reads rows of x head h / group
// and spectral points W[:, h, :] (of batch b when perBatch). W: float64 [(batch,) d, heads, M].
// phi: float32 [batch, heads, n, 2M]. Block: 32 samples x 8 thread rows, 4 rows per thread, so
// one block covers 32 rows x 32 samples; x arrives through shared memory 32 dims at a time.
// grid.x = batch * heads * ceil(n / 32), grid.y = ceil(M / 32).
#define IKA_PHI_ROWS 32
#define IKA_PHI_DIMS 32
extern "C" __global__ void __launch_bounds__(256) ika_phi(
        const float* x, int xHeads, int n, int d, const double* w1, const double* w2, int heads, int group, int m,
        int perBatch, float* phi) {
    __shared__ double xs[IKA_PHI_ROWS][IKA_PHI_DIMS + 1];
    const int tiles = (n + IKA_PHI_ROWS - 1) / IKA_PHI_ROWS;
    const int bh = blockIdx.x / tiles, tile = blockIdx.x % tiles;
    const int b = bh / heads, h = bh % heads;
    const int row0 = tile * IKA_PHI_ROWS;
    const int s = blockIdx.y * 32 + threadIdx.x;
    const int ty = threadIdx.y;
    const float* xh = x + ((long long)b * xHeads + h / group) * n * d;
    const long long wOff = perBatch ? (long long)b * d * heads * m : 0;
    const int tid = ty * 32 + threadIdx.x;
    double a[4] = {0.0, 0.0, 0.0, 0.0}, c[4] = {0.0, 0.0, 0.0, 0.0};
    for (int r0 = 0; r0 < d; r0 += IKA_PHI_DIMS) {
        for (int e = tid; e < IKA_PHI_ROWS * IKA_PHI_DIMS; e += 256) {
            int rr = e / IKA_PHI_DIMS, cc = e % IKA_PHI_DIMS;
            int row = row0 + rr, col = r0 + cc;
            xs[rr][cc] = (row < n && col < d) ? (double)xh[(long long)row * d + col] : 0.0;
        }
        __syncthreads();
        const int dims = min(IKA_PHI_DIMS, d - r0);
        if (s < m) {
            for (int cc = 0; cc < dims; cc++) {
                const long long wi = wOff + ((long long)(r0 + cc) * heads + h) * m + s;
                const double v1 = w1[wi], v2 = w2[wi];
#pragma unroll
                for (int k = 0; k < 4; k++) {
                    const double xv = xs[ty + 8 * k][cc];
                    a[k] = fma(v1, xv, a[k]);
                    c[k] = fma(v2, xv, c[k]);
                }
            }
        }
        __syncthreads();
    }
    if (s >= m) return;
#pragma unroll
    for (int k = 0; k < 4; k++) {
        const int row = row0 + ty + 8 * k;
        if (row >= n) continue;
        double sa, ca, sb, cb;
        sincos(a[k], &sa, &ca);
        sincos(c[k], &sb, &cb);
        float* out = phi + ((long long)bh * n + row) * (2LL * m);
        out[s] = (float)(ca + cb);
        out[m + s] = (float)(sa + sb);
    }
}

// The logits of one score block in place, before masks: S + colTerm_j (RBF) or
// log(S^2 + eps) + colTerm_j (spectral). S is [batch, q_heads, nb, ld]; colTerm [batch, kv_heads,
// kv_seq]. One block per row. log(0) = -inf (eps = 0) is a key of weight zero, as in the reference.
extern "C" __global__ void ika_paper_logits(float* scores, int ld, int nb, int qHeads, int group, int kvSeq,
                                            const float* colTerm, int spectral, float eps) {
    const long long row = blockIdx.x;
    const int bh = (int)(row / nb);
    const int b = bh / qHeads, h = bh % qHeads;
    const int kvHeads = qHeads / group;
    const float* col = colTerm + ((long long)b * kvHeads + h / group) * kvSeq;
    float* s = scores + row * ld;
    if (spectral) {
        for (int j = threadIdx.x; j < ld; j += blockDim.x) {
            float x = s[j];
            s[j] = logf(fmaf(x, x, eps)) + col[j];
        }
    } else {
        for (int j = threadIdx.x; j < ld; j += blockDim.x) s[j] += col[j];
    }
}

// Adds the row term to every unmasked logit of the energy ([rows, kvSeq], row = (b, h, i)); a
// masked key stays -inf whatever the row term.
extern "C" __global__ void ika_energy_add_rows(float* energy, int kvSeq, const float* rowTerm) {
    const long long row = blockIdx.x;
    const float t = rowTerm[row];
    float* e = energy + row * kvSeq;
    for (int j = threadIdx.x; j < kvSeq; j += blockDim.x) {
        float x = e[j];
        if (x != IKA_NEG_INF) e[j] = x + t;
    }
}

// m = [mean_i q_i ; mean_{j < len_b} k_j] per (batch, query head) in float64 ([batch, q_heads, 2d]),
// the copula's pooled input; keys beyond the batch's valid length are not pooled (mean 0 when none
// is). One block per (batch, query head), threads over the dimension.
extern "C" __global__ void ika_pool_means(const float* q, const float* k, int qHeads, int kvHeads, int qSeq, int kvSeq,
                                          int d, const int* kvLens, double* pooled) {
    const int bh = blockIdx.x;
    const int b = bh / qHeads, h = bh % qHeads;
    const int group = qHeads / kvHeads;
    int len = kvLens ? kvLens[b] : kvSeq;
    const float* qh = q + (long long)bh * qSeq * d;
    const float* kh = k + ((long long)b * kvHeads + h / group) * kvSeq * d;
    double* out = pooled + (long long)bh * 2 * d;
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        double sq = 0.0, sk = 0.0;
        for (int i = 0; i < qSeq; i++) sq += (double)qh[(long long)i * d + c];
        for (int j = 0; j < len; j++) sk += (double)kh[(long long)j * d + c];
        out[c] = sq / qSeq;
        out[d + c] = len > 0 ? sk / len : 0.0;
    }
}
