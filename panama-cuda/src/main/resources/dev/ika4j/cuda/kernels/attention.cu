// Element-wise stages of standard attention, run between the two cuBLAS GEMMs (S = Q.K^T and
// O = P.V). Compiled at run time by NVRTC and checked here with `nvcc -ptx`, so the file includes
// nothing: NVRTC has no system headers, only the built-in device functions.
//
// Layout of the score block S: [batch, q_heads, nb, kv_seq] row-major, one row per query of the
// current query block [i0, i0 + nb). Every launch below uses one thread block per row.

#define IKA_NEG_INF __int_as_float(0xff800000)
#define IKA_POS_INF __int_as_float(0x7f800000)
#define IKA_NAN __int_as_float(0x7fffffff)
// A masked key's probability is written as -0.0f: a zero for the GEMM, yet distinguishable from
// an exp() that merely underflowed, so the exact P.V path below can skip masked keys like the
// reference does (0 * NaN in a masked V row must not reach the output).
#define IKA_MASKED_BITS ((int)0x80000000)
#define IKA_MAX_WARPS 32

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

// scale, soft-capping, causal/lengths limit and mask turned into final logits (written back into
// S and, when asked, into the energy output), then the row softmax with its max subtracted
// written over them. A row whose every key is masked becomes all "masked" zeros (so its output is
// zero); a row with a NaN or +inf logit becomes NaN (as in the reference, where exp(inf - inf)
// poisons the sum).
extern "C" __global__ void ika_softmax_rows(
        float* scores, int nb, int qHeads, int kvSeq, int i0, int pastSeq, int causal,
        float scale, float softcap, const int* kvLens,
        const float* mask, int m0, int m1, int m2, int m3,
        float* energy, int qSeq) {
    __shared__ float shMax[IKA_MAX_WARPS];
    __shared__ float shSum[IKA_MAX_WARPS];
    __shared__ int shBad[IKA_MAX_WARPS];

    const int row = blockIdx.x;
    const int ii = row % nb;
    const int bh = row / nb;
    const int h = bh % qHeads;
    const int b = bh / qHeads;
    const int i = i0 + ii;
    float* s = scores + (long long)row * kvSeq;

    int limit = kvLens ? kvLens[b] : kvSeq;
    if (causal && pastSeq + i + 1 < limit) limit = pastSeq + i + 1;
    const float* mrow = 0;
    if (mask) {
        long long mb = (m0 == 1) ? 0 : b;
        long long mh = (m1 == 1) ? 0 : h;
        long long mi = (m2 == 1) ? 0 : i;
        mrow = mask + ((mb * m1 + mh) * m2 + mi) * m3;
    }
    float* erow = energy ? energy + ((long long)bh * qSeq + i) * kvSeq : 0;

    float m = IKA_NEG_INF, sum = 0.f;
    int bad = 0;
    for (int j = threadIdx.x; j < kvSeq; j += blockDim.x) {
        float bias = 0.f;
        if (j >= limit) {
            bias = IKA_NEG_INF;
        } else if (mrow) {
            bias = (m3 == 1) ? mrow[0] : (j < m3 ? mrow[j] : IKA_NEG_INF);
        }
        float x;
        if (bias == IKA_NEG_INF) {
            x = IKA_NEG_INF;  // whatever the raw score was, NaN included
        } else {
            x = scale * s[j];
            if (softcap > 0.f) x = softcap * tanhf(x / softcap);
            x += bias;
        }
        s[j] = x;
        if (erow) erow[j] = x;
        if (x != x || x == IKA_POS_INF) {
            bad = 1;
        } else if (x > m) {
            sum = sum * expf(m - x) + 1.f;
            m = x;
        } else if (x != IKA_NEG_INF) {
            sum += expf(x - m);
        }
    }

    for (int off = 16; off > 0; off >>= 1) {
        float m2 = __shfl_xor_sync(0xffffffffu, m, off);
        float s2 = __shfl_xor_sync(0xffffffffu, sum, off);
        int b2 = __shfl_xor_sync(0xffffffffu, bad, off);
        ika_combine(m, sum, m2, s2);
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
            float m2 = __shfl_xor_sync(0xffffffffu, m, off);
            float s2 = __shfl_xor_sync(0xffffffffu, sum, off);
            int b2 = __shfl_xor_sync(0xffffffffu, bad, off);
            ika_combine(m, sum, m2, s2);
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
    for (int j = threadIdx.x; j < kvSeq; j += blockDim.x) {
        float x = s[j];
        float p;
        if (bad) {
            p = IKA_NAN;
        } else if (x == IKA_NEG_INF) {
            p = __int_as_float(IKA_MASKED_BITS);
        } else {
            p = expf(x - m) / sum;
        }
        s[j] = p;
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
extern "C" __global__ void ika_pv_exact(
        const int* flag, const float* probs, const float* v, float* out,
        int nb, int qHeads, int group, int kvSeq, int vDim, int qSeq, int i0) {
    if (*flag == 0) return;
    const int row = blockIdx.x;
    const int ii = row % nb;
    const int bh = row / nb;
    const int h = bh % qHeads;
    const int b = bh / qHeads;
    const int kvHeads = qHeads / group;
    const float* p = probs + (long long)row * kvSeq;
    const float* vh = v + ((long long)b * kvHeads + h / group) * kvSeq * vDim;
    float* o = out + ((long long)bh * qSeq + i0 + ii) * vDim;
    for (int c = threadIdx.x; c < vDim; c += blockDim.x) {
        float acc = 0.f;
        for (int j = 0; j < kvSeq; j++) {
            float w = p[j];
            if (__float_as_int(w) == IKA_MASKED_BITS) continue;
            acc += w * vh[(long long)j * vDim + c];
        }
        o[c] = acc;
    }
}
