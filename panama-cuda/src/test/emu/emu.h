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
thread_local dim3 threadIdx;
dim3 blockIdx, blockDim, gridDim;
std::barrier<>* emu_bar;
std::vector<std::barrier<>*> emu_warp_bar;
unsigned emu_shuf[1024];
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(a, b)
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
