/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The fused kernel (flash.cu) against a float64 reference, on the CPU emulation of emu.h.
#include "emu.h"
#include <cstdio>
#include <random>
#include <cstdint>
#include "flash_emu.cu"
float4 ika_flash_smem[65536 / 4 * 4];

struct Case { int B, Hq, Hkv, Lq, Lk, d, dv, causal, past; std::vector<int> lens; int poison; };
static int failures = 0;

void run(const Case& c) {
    std::mt19937 rng(c.B * 1000 + c.Lq * 7 + c.Lk + c.d);
    std::normal_distribution<float> N(0, 1);
    int G = c.Hq / c.Hkv;
    std::vector<float> q((size_t)c.B * c.Hq * c.Lq * c.d), k((size_t)c.B * c.Hkv * c.Lk * c.d), v((size_t)c.B * c.Hkv * c.Lk * c.dv);
    for (auto& x : q) x = N(rng);
    for (auto& x : k) x = N(rng);
    for (auto& x : v) x = N(rng);
    std::vector<int> lens = c.lens.empty() ? std::vector<int>(c.B, c.Lk) : c.lens;
    if (c.poison) {   // NaN / inf in keys and values beyond the valid length of batch 0; a NaN query row
        for (int h = 0; h < c.Hkv; h++) for (int j = lens[0]; j < c.Lk; j++) {
            for (int e = 0; e < c.d; e++) k[(((size_t)0 * c.Hkv + h) * c.Lk + j) * c.d + e] = NAN;
            for (int e = 0; e < c.dv; e++) v[(((size_t)0 * c.Hkv + h) * c.Lk + j) * c.dv + e] = (j % 2) ? INFINITY : NAN;
        }
        q[((size_t)(c.B - 1) * c.Hq * c.Lq + c.Lq - 1) * c.d] = NAN;
    }
    int nonFinite = 0;
    for (float x : v) if (!(std::fabs(x) <= 3.4e38f)) nonFinite = 1;
    std::vector<float> out((size_t)c.B * c.Hq * c.Lq * c.dv, 12345.f);
    float scale = 1.f / std::sqrt((float)c.d);
    int qt = (c.Lq + 63) / 64;
    const int* lp = c.lens.empty() ? nullptr : lens.data();
    dim3 grid; grid.x = qt; grid.y = c.B * c.Hq;
    int dm = std::max(c.d, c.dv);
    emu_launch(grid, 256, [&] {
        if (dm <= 64) ika_flash_d64(q.data(), k.data(), v.data(), out.data(), c.Hq, G, c.Lq, c.Lk, c.past, c.causal, lp, c.d, c.dv, scale, &nonFinite);
        else ika_flash_d128(q.data(), k.data(), v.data(), out.data(), c.Hq, G, c.Lq, c.Lk, c.past, c.causal, lp, c.d, c.dv, scale, &nonFinite);
    });
    double worst = 0; int bad = 0;
    for (int b = 0; b < c.B; b++) for (int h = 0; h < c.Hq; h++) for (int i = 0; i < c.Lq; i++) {
        int kh = h / G;
        int limit = lens[b];
        if (c.causal) limit = std::min(limit, c.past + i + 1);
        std::vector<double> lg(c.Lk, -INFINITY);
        bool nan = false; double mx = -INFINITY;
        for (int j = 0; j < limit; j++) {
            double s = 0;
            for (int e = 0; e < c.d; e++) s += (double)q[(((size_t)b * c.Hq + h) * c.Lq + i) * c.d + e] * k[(((size_t)b * c.Hkv + kh) * c.Lk + j) * c.d + e];
            lg[j] = s * scale;
            if (std::isnan(lg[j]) || lg[j] == INFINITY) nan = true; else mx = std::max(mx, lg[j]);
        }
        std::vector<double> acc(c.dv, 0.0);
        if (nan) std::fill(acc.begin(), acc.end(), NAN);
        else if (mx != -INFINITY) {
            double sum = 0;
            for (int j = 0; j < limit; j++) {
                if (lg[j] == -INFINITY) continue;
                double w = std::exp(lg[j] - mx); sum += w;
                for (int e = 0; e < c.dv; e++) acc[e] += w * v[(((size_t)b * c.Hkv + kh) * c.Lk + j) * c.dv + e];
            }
            for (auto& a : acc) a /= sum;
        }
        for (int e = 0; e < c.dv; e++) {
            float got = out[(((size_t)b * c.Hq + h) * c.Lq + i) * c.dv + e];
            if (std::isnan(acc[e]) || std::isnan(got)) { if (!(std::isnan(acc[e]) && std::isnan(got))) bad++; continue; }
            worst = std::max(worst, std::fabs(acc[e] - got));
        }
    }
    bool ok = bad == 0 && worst < 2e-5;
    if (!ok) failures++;
    printf("%s B%d Hq%d Hkv%d Lq%d Lk%d d%d dv%d causal%d past%d lens%s poison%d: max err %.3g, NaN mismatches %d\n",
           ok ? "ok  " : "FAIL", c.B, c.Hq, c.Hkv, c.Lq, c.Lk, c.d, c.dv, c.causal, c.past, c.lens.empty() ? "-" : "+", c.poison, worst, bad);
}

int main() { setvbuf(stdout, nullptr, _IONBF, 0);
    std::vector<Case> cases = {
        {1, 1, 1, 1, 1, 64, 64, 0, 0, {}, 0},
        {1, 2, 1, 100, 150, 64, 64, 0, 0, {}, 0},
        {1, 2, 1, 100, 150, 64, 64, 1, 0, {}, 0},
        {2, 2, 2, 70, 130, 128, 128, 1, 60, {}, 0},
        {1, 1, 1, 129, 129, 128, 128, 1, 0, {}, 0},
        {2, 1, 1, 65, 200, 128, 96, 0, 0, {}, 0},
        {2, 3, 1, 17, 31, 7, 5, 0, 0, {}, 0},
        {2, 3, 1, 17, 31, 7, 5, 1, 3, {}, 0},
        {3, 2, 2, 40, 90, 48, 32, 0, 0, {90, 0, 37}, 0},
        {2, 2, 1, 40, 90, 64, 64, 1, 10, {50, 90}, 0},
        {2, 2, 2, 9, 70, 16, 16, 0, 0, {25, 70}, 1},
        {2, 2, 2, 9, 70, 65, 3, 0, 0, {25, 70}, 1},
    };
    for (auto& c : cases) run(c);
    printf("%d failures\n", failures);
    return failures != 0;
}
