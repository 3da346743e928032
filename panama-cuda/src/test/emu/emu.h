/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// CPU emulation of the CUDA subset used by the kernels: see run.sh.
// CPU emulation of the CUDA subset the kernels use: one block at a time, one std::thread per
// CUDA thread, __syncthreads and shuffles as block-wide barriers (valid because every barrier
// and shuffle in the kernels is reached uniformly by the whole block).
#include <barrier>
#include <memory>
#include <thread>
#include <vector>
#include <cmath>
#include <cstring>
#include <functional>
#include <algorithm>
struct dim3 { unsigned x = 1, y = 1, z = 1; };
struct float4 { float x, y, z, w; };
inline float4 make_float4(float a, float b, float c, float d) { return {a, b, c, d}; }
struct uint4 { unsigned x, y, z, w; };
inline uint4 make_uint4(unsigned a, unsigned b, unsigned c, unsigned d) { return {a, b, c, d}; }
thread_local dim3 threadIdx;
dim3 blockIdx, blockDim, gridDim;
std::barrier<>* emu_bar;
std::vector<std::barrier<>*> emu_warp_bar;
unsigned emu_shuf[1024];
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)
inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
inline float __int_as_float(unsigned i) { float f; memcpy(&f, &i, 4); return f; }
inline int __float_as_int(float f) { int i; memcpy(&i, &f, 4); return i; }
inline void __syncthreads() { emu_bar->arrive_and_wait(); }
template <class T> T __shfl_xor_sync(unsigned, T v, int off) {
    unsigned t = threadIdx.x; unsigned bits; memcpy(&bits, &v, 4);
    std::barrier<>* wb = emu_warp_bar[t / 32];
    emu_shuf[t] = bits; wb->arrive_and_wait();
    unsigned o = emu_shuf[t ^ off]; wb->arrive_and_wait();
    T r; memcpy(&r, &o, 4); return r;
}
using std::min; using std::max;

// The value of a float16 (or bfloat16) bit pattern, from the formats' definitions (written
// apart from the kernels' own conversions, so that the tests can compare the two).
inline double emu_half_value(unsigned bits, bool bf16) {
    if (bf16) { unsigned w = bits << 16; float f; memcpy(&f, &w, 4); return f; }
    int sign = (bits >> 15) & 1, e = (bits >> 10) & 31, m = bits & 1023;
    double v = e == 31 ? (m ? NAN : INFINITY) : e == 0 ? std::ldexp((double)m, -24) : std::ldexp(1.0 + m / 1024.0, e - 15);
    return sign ? -v : v;
}

// mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32 for one warp, c += A B, with
// the fragments where the PTX ISA puts them ("Matrix Fragments for mma.m16n8k16 with floating
// point type"): lane = 4 groupID + t; A's registers 0..3 hold (row, col) = (groupID, 2t),
// (groupID + 8, 2t), (groupID, 2t + 8), (groupID + 8, 2t + 8), each with the next column in
// its high half; B's registers 0, 1 hold (k, n) = (2t, groupID), (2t + 8, groupID), the next k
// in the high half; C's four floats (groupID, 2t), (groupID, 2t + 1), (groupID + 8, 2t),
// (groupID + 8, 2t + 1). Products exact, sums in double, rounded once into c.
unsigned emu_mma_a[1024][4], emu_mma_b[1024][2];
inline void ika_emu_mma_16816(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1, bool bf16) {
    unsigned t = threadIdx.x, base = t & ~31u, lane = t & 31u;
    std::barrier<>* wb = emu_warp_bar[t / 32];
    for (int i = 0; i < 4; i++) emu_mma_a[t][i] = a[i];
    emu_mma_b[t][0] = b0; emu_mma_b[t][1] = b1;
    wb->arrive_and_wait();
    auto A = [&](int r, int k) {
        unsigned w = emu_mma_a[base + 4 * (r % 8) + (k % 8) / 2][(r >= 8 ? 1 : 0) + (k >= 8 ? 2 : 0)];
        return emu_half_value((k % 2) ? w >> 16 : w & 0xffffu, bf16);
    };
    auto B = [&](int k, int n) {
        unsigned w = emu_mma_b[base + 4 * n + (k % 8) / 2][k >= 8 ? 1 : 0];
        return emu_half_value((k % 2) ? w >> 16 : w & 0xffffu, bf16);
    };
    int g = lane >> 2, tg = lane & 3;
    float d[4];
    for (int x = 0; x < 4; x++) {
        int r = g + (x >= 2 ? 8 : 0), n = 2 * tg + (x & 1);
        double s = c[x];
        for (int k = 0; k < 16; k++) s += A(r, k) * B(k, n);
        d[x] = (float)s;
    }
    wb->arrive_and_wait();  // every lane has read the fragments before any writes the next ones
    for (int x = 0; x < 4; x++) c[x] = d[x];
}
inline float fmaxf(float a, float b) { return std::fmax(a, b); }
// Runs kernel(args...) over the grid, block by block.
template <class F>
void emu_launch(dim3 grid, unsigned threads, F kernel) {
    gridDim = grid; blockDim.x = threads;
    for (unsigned by = 0; by < grid.y; by++)
        for (unsigned bx = 0; bx < grid.x; bx++) {
            blockIdx.x = bx; blockIdx.y = by;
            std::barrier<> bar(threads); emu_bar = &bar;
            std::vector<std::unique_ptr<std::barrier<>>> wbs;
            emu_warp_bar.clear();
            for (unsigned w = 0; w < threads / 32; w++) { wbs.emplace_back(new std::barrier<>(32)); emu_warp_bar.push_back(wbs.back().get()); }
            std::vector<std::thread> ts;
            for (unsigned t = 0; t < threads; t++) ts.emplace_back([&, t] { threadIdx.x = t; kernel(); });
            for (auto& th : ts) th.join();
        }
}
