/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// ika_softmax_staged(_plain) against ika_softmax_rows (attention.cu) on the CPU emulation of emu.h.
#include "emu.h"
#include <cstdio>
#include <random>
#include "attention_emu.cu"
float4 ika_row_smem[65536];
static int failures = 0;

static bool same(float a, float b, double tol) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    if (a == 0 && b == 0) return std::signbit(a) == std::signbit(b);   // the masked -0.0 marker
    return std::fabs(a - b) <= tol;
}

// B x Hq rows of a query block [i0, i0+nb) with ld visible keys of kvSeq; mask [1,1,nb+i0.., m3].
void run(int B, int Hq, int nb, int ld, int kvSeq, int i0, int past, int causal, float softcap, bool lens, bool mask,
         bool energy, bool poison, unsigned threads) {
    std::mt19937 rng(ld * 31 + nb + causal);
    std::normal_distribution<float> N(0, 2);
    int qSeq = i0 + nb + 3;
    std::vector<float> s((size_t)B * Hq * nb * ld);
    for (auto& x : s) x = N(rng);
    if (poison) { s[3] = NAN; s[ld + 1] = INFINITY; s[2 * ld + 2] = -INFINITY; }
    std::vector<int> L(B);
    for (int b = 0; b < B; b++) L[b] = std::uniform_int_distribution<int>(0, kvSeq)(rng);
    int m3 = kvSeq - 2 > 0 ? kvSeq - 2 : 1;
    std::vector<float> mk((size_t)qSeq * m3);
    for (auto& x : mk) x = (rng() % 5 == 0) ? -INFINITY : N(rng);
    std::vector<float> a = s, c = s, ea((size_t)B * Hq * qSeq * kvSeq, 7.f), ec = ea;
    dim3 grid; grid.x = B * Hq * nb;
    float scale = 0.37f;
    auto args = [&](std::vector<float>& sc, std::vector<float>& en) {
        return std::make_tuple(sc.data(), ld, nb, Hq, kvSeq, i0, past, causal, scale, softcap,
                               lens ? L.data() : (const int*)nullptr, mask ? mk.data() : (const float*)nullptr,
                               1, 1, qSeq, m3, energy ? en.data() : (float*)nullptr, qSeq);
    };
    emu_launch(grid, threads, [&] { std::apply(ika_softmax_staged, args(a, ea)); });
    emu_launch(grid, 256, [&] { std::apply(ika_softmax_rows, args(c, ec)); });
    int bad = 0;
    for (size_t t = 0; t < a.size(); t++) if (!same(a[t], c[t], 1e-6)) { if (bad < 3) printf("  p[%zu] staged %g rows %g\n", t, a[t], c[t]); bad++; }
    for (size_t t = 0; t < ea.size(); t++) if (!same(ea[t], ec[t], 0)) { if (bad < 3) printf("  e[%zu] staged %g rows %g\n", t, ea[t], ec[t]); bad++; }
    // rows sum to 1 unless NaN or fully masked
    for (int r = 0; r < B * Hq * nb; r++) {
        double sum = 0; bool nan = false, any = false;
        for (int j = 0; j < ld; j++) { float p = a[(size_t)r * ld + j]; if (std::isnan(p)) nan = true; else { sum += p; if (!(p == 0 && std::signbit(p))) any = true; } }
        if (!nan && any && std::fabs(sum - 1) > 1e-5) { bad++; printf("  row %d sums to %g\n", r, sum); }
    }
    if (energy && causal && !lens && !mask) {   // energy beyond ld is -inf
        for (int r = 0; r < B * Hq; r++) for (int ii = 0; ii < nb; ii++) for (int j = ld; j < kvSeq; j++)
            if (ea[((size_t)r * qSeq + i0 + ii) * kvSeq + j] != -INFINITY) bad++;
    }
    bool plainCase = !causal && !lens && !mask && !energy && softcap <= 0 && ld == kvSeq;
    if (plainCase) {
        std::vector<float> p = s;
        emu_launch(grid, threads, [&] { ika_softmax_staged_plain(p.data(), ld, scale); });
        for (size_t t = 0; t < p.size(); t++) if (!same(p[t], a[t], 0)) { if (bad < 6) printf("  plain[%zu] %g vs %g\n", t, p[t], a[t]); bad++; }
    }
    if (bad) failures++;
    printf("%s ld%d kv%d nb%d i0 %d causal%d softcap%g lens%d mask%d energy%d poison%d threads %u%s: %d mismatches\n", bad ? "FAIL" : "ok  ",
           ld, kvSeq, nb, i0, causal, softcap, lens, mask, energy, poison, threads, plainCase ? " (+plain)" : "", bad);
}

int main() { setvbuf(stdout, nullptr, _IONBF, 0);
    run(2, 2, 5, 64, 64, 0, 0, 0, 0, false, false, false, false, 32);
    run(2, 2, 5, 67, 67, 0, 0, 0, 0, false, false, false, true, 64);
    run(1, 2, 4, 1, 1, 0, 0, 0, 0, false, false, false, false, 32);
    run(2, 2, 6, 20, 37, 8, 5, 1, 0, false, false, true, false, 32);
    run(2, 3, 6, 36, 37, 30, 0, 1, 2.5f, true, true, true, false, 64);
    run(2, 3, 6, 37, 37, 0, 0, 0, 0, true, true, true, true, 96);
    run(1, 2, 3, 1000, 1000, 0, 0, 0, 0, false, false, false, false, 64);
    run(1, 2, 3, 1001, 1003, 2, 1, 1, 0, true, false, true, false, 256);
    printf("%d failures\n", failures);
    return failures != 0;
}
