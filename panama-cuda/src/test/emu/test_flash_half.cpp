/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The tensor-core kernel (flash_half.cu) against a float64 reference, on the CPU emulation of
// emu.h (its mma follows the PTX ISA's fragment layout), for float16 and bfloat16 inputs; and
// the kernel's software conversions against the formats' definitions.
#include "emu.h"
#include <cstdio>
#include <random>
#include <cstdint>
#include "flash_half_emu.cu"
float4 ika_flash_half_smem[80000 / 16];

static int failures = 0;

// Decoding: every bit pattern. Encoding: every representable value and every tie between two
// neighbours (round to nearest even), a hair either side of the ties, overflow and NaN.
template <bool BF16>
void conversions() {
    int bad = 0;
    for (unsigned h = 0; h < 65536; h++) {
        double want = emu_half_value(h, BF16), got = ika_half_to_float<BF16>((unsigned short)h);
        if (!(want == got || (std::isnan(want) && std::isnan(got)))) bad++;
    }
    auto enc = [](float f) { return BF16 ? ika_float_to_bf16_soft(f) : ika_float_to_f16_soft(f); };
    const unsigned maxFinite = BF16 ? 0x7f7fu : 0x7bffu, inf = BF16 ? 0x7f80u : 0x7c00u;
    for (unsigned h = 0; h < maxFinite; h++) {
        float a = (float)emu_half_value(h, BF16), b = (float)emu_half_value(h + 1, BF16);
        float mid = (float)(((double)a + b) / 2);
        unsigned even = (h % 2 == 0) ? h : h + 1;
        if (enc(a) != h) bad++;
        if (enc(-a) != (h | 0x8000u)) bad++;
        if (enc(mid) != even) bad++;
        if (enc(std::nextafter(mid, 0.f)) != h) bad++;
        if (enc(std::nextafter(mid, INFINITY)) != h + 1) bad++;
    }
    float top = (float)emu_half_value(maxFinite, BF16);
    if (enc(top * 2) != inf || enc(INFINITY) != inf || enc(-INFINITY) != (inf | 0x8000u)) bad++;
    if (!std::isnan(emu_half_value(enc(NAN), BF16))) bad++;
    if (bad) failures++;
    printf("%s %s conversions: %d mismatches\n", bad ? "FAIL" : "ok  ", BF16 ? "bf16" : "f16", bad);
}

struct Case { int B, Hq, Hkv, Lq, Lk, d, dv, causal, past; std::vector<int> lens; int poison; };

template <bool BF16>
void run(const Case& c) {
    std::mt19937 rng(c.B * 1000 + c.Lq * 7 + c.Lk + c.d + (BF16 ? 5 : 0));
    std::normal_distribution<float> N(0, 1);
    int G = c.Hq / c.Hkv;
    auto enc = [](float f) { return BF16 ? ika_float_to_bf16_soft(f) : ika_float_to_f16_soft(f); };
    std::vector<unsigned short> q((size_t)c.B * c.Hq * c.Lq * c.d), k((size_t)c.B * c.Hkv * c.Lk * c.d),
            v((size_t)c.B * c.Hkv * c.Lk * c.dv);
    for (auto& x : q) x = enc(N(rng));
    for (auto& x : k) x = enc(N(rng));
    for (auto& x : v) x = enc(N(rng) * 3);
    std::vector<int> lens = c.lens.empty() ? std::vector<int>(c.B, c.Lk) : c.lens;
    if (c.poison) {  // NaN / inf in keys and values beyond the valid length of batch 0; a NaN query row
        for (int h = 0; h < c.Hkv; h++) for (int j = lens[0]; j < c.Lk; j++) {
            for (int e = 0; e < c.d; e++) k[(((size_t)0 * c.Hkv + h) * c.Lk + j) * c.d + e] = enc(NAN);
            for (int e = 0; e < c.dv; e++) v[(((size_t)0 * c.Hkv + h) * c.Lk + j) * c.dv + e] = enc((j % 2) ? INFINITY : NAN);
        }
        q[((size_t)(c.B - 1) * c.Hq * c.Lq + c.Lq - 1) * c.d] = enc(NAN);
    }
    auto val = [](unsigned short h) { return emu_half_value(h, BF16); };
    int expected = 0;
    double vmax = 0;
    for (auto x : v) { double y = val(x); if (!(std::fabs(y) <= 3.4e38)) expected = 1; else vmax = std::max(vmax, std::fabs(y)); }
    int nonFinite = 0;  // set by the kernel's own scan, as on the device
    dim3 scan; scan.x = 3;
    emu_launch(scan, 64, [&] {
        if (BF16) ika_flag_nonfinite_bf16(v.data(), (long long)v.size(), &nonFinite);
        else ika_flag_nonfinite_f16(v.data(), (long long)v.size(), &nonFinite);
    });
    if (nonFinite != expected) { failures++; printf("FAIL the non-finite scan says %d, expected %d\n", nonFinite, expected); }
    std::vector<float> out((size_t)c.B * c.Hq * c.Lq * c.dv, 12345.f);
    float scale = 1.f / std::sqrt((float)c.d);
    const int* lp = c.lens.empty() ? nullptr : lens.data();
    dim3 grid; grid.x = (c.Lq + 63) / 64; grid.y = c.B * c.Hq;
    int dm = std::max(c.d, c.dv);
    emu_launch(grid, 128, [&] {
        if (BF16) {
            if (dm <= 64) ika_flash_bf16_d64(q.data(), k.data(), v.data(), out.data(), c.Hq, G, c.Lq, c.Lk, c.past, c.causal, lp, c.d, c.dv, scale, &nonFinite);
            else ika_flash_bf16_d128(q.data(), k.data(), v.data(), out.data(), c.Hq, G, c.Lq, c.Lk, c.past, c.causal, lp, c.d, c.dv, scale, &nonFinite);
        } else {
            if (dm <= 64) ika_flash_f16_d64(q.data(), k.data(), v.data(), out.data(), c.Hq, G, c.Lq, c.Lk, c.past, c.causal, lp, c.d, c.dv, scale, &nonFinite);
            else ika_flash_f16_d128(q.data(), k.data(), v.data(), out.data(), c.Hq, G, c.Lq, c.Lk, c.past, c.causal, lp, c.d, c.dv, scale, &nonFinite);
        }
    });
    // P is rounded to the input type before P.V (as in FlashAttention-2): each weight is off by
    // at most its unit roundoff u, so the output by at most u max|v|; twice that, and float
    // sums, bound the error whatever the sequence length.
    double u = BF16 ? std::ldexp(1.0, -8) : std::ldexp(1.0, -11);
    double tol = 2 * u * vmax + 1e-5;
    double worst = 0; int bad = 0;
    for (int b = 0; b < c.B; b++) for (int h = 0; h < c.Hq; h++) for (int i = 0; i < c.Lq; i++) {
        int kh = h / G;
        int limit = lens[b];
        if (c.causal) limit = std::min(limit, c.past + i + 1);
        std::vector<double> lg(c.Lk, -INFINITY);
        bool nan = false; double mx = -INFINITY;
        for (int j = 0; j < limit; j++) {
            double s = 0;
            for (int e = 0; e < c.d; e++) s += val(q[(((size_t)b * c.Hq + h) * c.Lq + i) * c.d + e]) * val(k[(((size_t)b * c.Hkv + kh) * c.Lk + j) * c.d + e]);
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
                for (int e = 0; e < c.dv; e++) acc[e] += w * val(v[(((size_t)b * c.Hkv + kh) * c.Lk + j) * c.dv + e]);
            }
            for (auto& a : acc) a /= sum;
        }
        for (int e = 0; e < c.dv; e++) {
            float got = out[(((size_t)b * c.Hq + h) * c.Lq + i) * c.dv + e];
            if (std::isnan(acc[e]) || std::isnan(got)) { if (!(std::isnan(acc[e]) && std::isnan(got))) bad++; continue; }
            worst = std::max(worst, std::fabs(acc[e] - got));
        }
    }
    bool ok = bad == 0 && worst <= tol;
    if (!ok) failures++;
    printf("%s %s B%d Hq%d Hkv%d Lq%d Lk%d d%d dv%d causal%d past%d lens%s poison%d: max err %.3g (tol %.3g), NaN mismatches %d\n",
           ok ? "ok  " : "FAIL", BF16 ? "bf16" : "f16 ", c.B, c.Hq, c.Hkv, c.Lq, c.Lk, c.d, c.dv, c.causal, c.past,
           c.lens.empty() ? "-" : "+", c.poison, worst, tol, bad);
}

int main() { setvbuf(stdout, nullptr, _IONBF, 0);
    conversions<false>();
    conversions<true>();
    std::vector<Case> cases = {
        {1, 1, 1, 1, 1, 64, 64, 0, 0, {}, 0},
        {1, 2, 1, 100, 150, 64, 64, 0, 0, {}, 0},
        {1, 2, 1, 100, 150, 64, 64, 1, 0, {}, 0},
        {2, 2, 2, 70, 130, 128, 128, 1, 60, {}, 0},
        {2, 1, 1, 65, 131, 128, 96, 0, 0, {}, 0},
        {2, 3, 1, 17, 31, 7, 5, 1, 3, {}, 0},
        {3, 2, 2, 40, 90, 48, 32, 0, 0, {90, 0, 37}, 0},
        {2, 2, 1, 40, 90, 64, 64, 1, 10, {50, 90}, 0},
        {2, 2, 2, 9, 70, 16, 16, 0, 0, {25, 70}, 1},
        {2, 1, 1, 9, 70, 65, 3, 0, 0, {25, 70}, 1},
    };
    for (auto& c : cases) { run<false>(c); run<true>(c); }
    printf("%d failures\n", failures);
    return failures != 0;
}
