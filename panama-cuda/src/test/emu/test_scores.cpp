/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// ika_scores_out (attention.cu), driven as CudaBackend.gemmPath drives it (query blocks, the
// visible-key width ld, before or after the softmax), against the four ONNX qk_matmul_output
// stages computed here in double from the operator's definition, on the CPU emulation of emu.h.
#include "emu.h"
#include <cstdio>
#include <random>
#include "attention_emu.cu"
float4 ika_row_smem[65536];
static int failures = 0;

struct Case {
    int B, Hq, G, Lq, Lk, past, D, nb;
    bool causal;
    float softcap;
    bool lens;
    int maskKind;   // 0 none, 1 [1,1,Lq,m3] short by 2 columns, 2 [B,Hq,Lq,Lk], 3 [B,1,1,1] scalar per batch
    bool poison;    // a NaN in one query row
    int stage;
};

void run(const Case& c) {
    std::mt19937 rng(c.B * 7 + c.Lq * 31 + c.Lk * 131 + c.stage * 3 + c.maskKind);
    std::normal_distribution<float> N(0, 1.5f);
    int Hkv = c.Hq / c.G;
    std::vector<float> q((size_t)c.B * c.Hq * c.Lq * c.D), k((size_t)c.B * Hkv * c.Lk * c.D);
    for (auto& x : q) x = N(rng);
    for (auto& x : k) x = N(rng);
    if (c.poison) q[((size_t)(c.B - 1) * c.Hq * c.Lq + 1) * c.D + 1] = NAN;   // row i = 1 of (last batch, h 0)
    std::vector<int> L(c.B);
    for (int b = 0; b < c.B; b++) L[b] = c.lens ? std::uniform_int_distribution<int>(0, c.Lk)(rng) : c.Lk;
    if (c.lens) L[0] = 0;   // one batch whose every key is masked
    int md[4] = {1, 1, 1, 1};
    if (c.maskKind == 1) { md[2] = c.Lq; md[3] = c.Lk - 2; }
    if (c.maskKind == 2) { md[0] = c.B; md[1] = c.Hq; md[2] = c.Lq; md[3] = c.Lk; }
    if (c.maskKind == 3) { md[0] = c.B; }
    std::vector<float> mask((size_t)md[0] * md[1] * md[2] * md[3]);
    for (auto& x : mask) x = (rng() % 4 == 0) ? -INFINITY : N(rng);
    float scale = 1.f / std::sqrt((float)c.D);

    // The device side, as gemmPath runs it.
    std::vector<float> out((size_t)c.B * c.Hq * c.Lq * c.Lk, 12345.f);
    int maxLen = c.lens ? *std::max_element(L.begin(), L.end()) : c.Lk;
    bool everyKey = c.stage <= 1;
    for (int i0 = 0; i0 < c.Lq; i0 += c.nb) {
        int rows = std::min(c.nb, c.Lq - i0);
        int ld = std::min(c.Lk, maxLen);
        if (c.causal) ld = std::min(ld, c.past + i0 + rows);
        if (everyKey) ld = c.Lk;
        ld = std::max(ld, 1);
        std::vector<float> s((size_t)c.B * c.Hq * rows * ld);
        for (int b = 0; b < c.B; b++) for (int h = 0; h < c.Hq; h++) for (int ii = 0; ii < rows; ii++) for (int j = 0; j < ld; j++) {
            float acc = 0;
            for (int d = 0; d < c.D; d++)
                acc += q[(((size_t)b * c.Hq + h) * c.Lq + i0 + ii) * c.D + d] * k[(((size_t)b * Hkv + h / c.G) * c.Lk + j) * c.D + d];
            s[(((size_t)b * c.Hq + h) * rows + ii) * ld + j] = acc;
        }
        dim3 grid; grid.x = c.B * c.Hq * rows;
        const int* lens = c.lens ? L.data() : nullptr;
        const float* mp = c.maskKind ? mask.data() : nullptr;
        auto copy = [&] {
            emu_launch(grid, 64, [&] { ika_scores_out(s.data(), ld, rows, c.Hq, c.Lk, i0, c.past, c.causal, scale, c.softcap,
                                                      lens, mp, md[0], md[1], md[2], md[3], out.data(), c.Lq, c.stage); });
        };
        if (c.stage < 3) copy();
        emu_launch(grid, 64, [&] { ika_softmax_rows(s.data(), ld, rows, c.Hq, c.Lk, i0, c.past, c.causal, scale, c.softcap,
                                                    lens, mp, md[0], md[1], md[2], md[3], nullptr, c.Lq); });
        if (c.stage == 3) copy();
    }

    // The definition, in double.
    int bad = 0;
    std::vector<double> row(c.Lk);
    for (int b = 0; b < c.B; b++) for (int h = 0; h < c.Hq; h++) for (int i = 0; i < c.Lq; i++) {
        for (int j = 0; j < c.Lk; j++) {
            double dot = 0;
            for (int d = 0; d < c.D; d++)
                dot += (double)q[(((size_t)b * c.Hq + h) * c.Lq + i) * c.D + d] * k[(((size_t)b * Hkv + h / c.G) * c.Lk + j) * c.D + d];
            double x = scale * dot;
            if (c.stage >= 1 && c.softcap > 0) x = c.softcap * std::tanh(x / c.softcap);
            if (c.stage >= 2) {
                bool masked = j >= L[b] || (c.causal && j > c.past + i);
                double bias = 0;
                if (c.maskKind) {
                    if (j >= md[3] && md[3] != 1) masked = true;
                    else {
                        size_t mb = md[0] == 1 ? 0 : b, mh = md[1] == 1 ? 0 : h, mi = md[2] == 1 ? 0 : i, mj = md[3] == 1 ? 0 : j;
                        bias = mask[((mb * md[1] + mh) * md[2] + mi) * md[3] + mj];
                        if (bias == -INFINITY) masked = true;
                    }
                }
                x = masked ? -INFINITY : x + bias;
            }
            row[j] = x;
        }
        if (c.stage == 3) {
            double m = -INFINITY; bool nan = false;
            for (double x : row) { if (std::isnan(x)) nan = true; else m = std::max(m, x); }
            double sum = 0;
            for (auto& x : row) { x = nan ? NAN : (x == -INFINITY ? 0 : std::exp(x - m)); sum += x; }
            for (auto& x : row) x = (m == -INFINITY && !nan) ? 0.0 : x / sum;
        }
        for (int j = 0; j < c.Lk; j++) {
            float a = out[(((size_t)b * c.Hq + h) * c.Lq + i) * c.Lk + j];
            double e = row[j];
            bool ok;
            if (std::isnan(e)) ok = std::isnan(a);
            else if (std::isinf(e)) ok = (double)a == e;
            else if (e == 0) ok = a == 0 && !std::signbit(a);   // a masked probability is +0, not the -0 marker
            else ok = std::fabs(a - e) <= 2e-5 * (1 + std::fabs(e));
            if (!ok) { if (bad < 4) printf("  out[b%d h%d i%d j%d] = %g, expected %g\n", b, h, i, j, a, e); bad++; }
        }
    }
    if (bad) failures++;
    printf("%s stage%d B%d Hq%d G%d Lq%d Lk%d past%d D%d nb%d causal%d softcap%g lens%d mask%d poison%d: %d mismatches\n",
           bad ? "FAIL" : "ok  ", c.stage, c.B, c.Hq, c.G, c.Lq, c.Lk, c.past, c.D, c.nb, c.causal, c.softcap, c.lens,
           c.maskKind, c.poison, bad);
}

int main() {
    setvbuf(stdout, nullptr, _IONBF, 0);
    for (int stage = 0; stage < 4; stage++) {
        run({1, 2, 1, 5, 7, 0, 8, 5, false, 0.f, false, 0, false, stage});          // plain
        run({2, 4, 2, 7, 13, 6, 5, 3, true, 0.f, false, 0, false, stage});          // GQA, causal, past, blocks
        run({2, 2, 1, 6, 11, 5, 4, 4, true, 1.5f, false, 1, false, stage});         // softcap, short mask, causal
        run({2, 3, 3, 5, 9, 0, 3, 2, false, 2.f, true, 2, true, stage});            // MQA, lengths, 4-D mask, NaN
        run({3, 2, 1, 4, 6, 2, 6, 4, false, 0.f, true, 3, false, stage});           // per-batch scalar bias
    }
    printf("%d failures\n", failures);
    return failures != 0;
}
