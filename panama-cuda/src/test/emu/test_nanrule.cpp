/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The NaN rule (issue 15, finding 9) on both CUDA paths, on the CPU emulation of emu.h: a key is
// skipped only when its logit is -inf; an unmasked key whose weight underflows to 0 (a -1e30 bias,
// a logit of -1e30) still multiplies its value, so NaN there reaches the row, as in the reference.
#include "emu.h"
#include <cstdio>
#include "attention_emu.cu"
#include "flash_emu.cu"
float4 ika_row_smem[65536];
float4 ika_flash_smem[65536 / 4 * 4];
static int failures = 0;

static void expect(const char* what, bool ok) {
    if (!ok) failures++;
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
}

// GEMM path: ika_softmax_rows, then ika_pv_exact (V holds a NaN, so the flag is set).
static void gemmPath() {
    const int nb = 4, ld = 8, dv = 4, qSeq = nb;
    std::vector<float> s(nb * ld), mask(nb * ld, 0.f), v(ld * dv), out(qSeq * dv, 7.f);
    for (int t = 0; t < nb * ld; t++) s[t] = 0.1f * (t % 7) - 0.3f;
    for (int t = 0; t < ld * dv; t++) v[t] = 0.25f * (t % 5) - 0.5f;
    for (int c = 0; c < dv; c++) v[3 * dv + c] = NAN;   // key 3's value
    mask[0 * ld + 3] = -1e30f;                           // row 0: key 3 unmasked, weight underflows
    mask[1 * ld + 3] = -INFINITY;                        // row 1: key 3 masked
    mask[3 * ld + 3] = -1e30f;                           // row 3: as row 0; row 2 sees key 3 plainly
    dim3 grid; grid.x = nb;
    emu_launch(grid, 64, [&] {
        ika_softmax_rows(s.data(), ld, nb, 1, ld, 0, 0, 0, 1.f, 0.f, nullptr, mask.data(), 1, 1, qSeq, ld, nullptr, qSeq);
    });
    expect("underflowed weight is +0, not the masked -0.0", s[3] == 0.f && !std::signbit(s[3]));
    expect("masked weight is -0.0", s[ld + 3] == 0.f && std::signbit(s[ld + 3]));
    int flag = 1;
    emu_launch(grid, 32, [&] { ika_pv_exact(&flag, s.data(), v.data(), out.data(), ld, nb, 1, 1, ld, dv, qSeq, 0); });
    for (int r = 0; r < nb; r++) {
        bool nan = true, finite = true;
        for (int c = 0; c < dv; c++) { nan &= std::isnan(out[r * dv + c]); finite &= std::isfinite(out[r * dv + c]); }
        char what[96];
        snprintf(what, sizeof what, "gemm row %d is %s", r, r == 1 ? "finite (key masked)" : r == 2 ? "NaN (w * NaN)" : "NaN (0 * NaN)");
        expect(what, r == 1 ? finite : nan);
    }
}

// Fused path: a logit of -1e30 underflows (weight +0) and its NaN value reaches the rows; a key
// beyond the valid length is skipped.
static void fusedPath() {
    const int lk = 5, d = 1, dv = 3;
    for (int len : {lk, 1}) {
        std::vector<float> q = {1.f, 0.5f}, k = {0.5f, -1e30f, 0.25f, -0.5f, 1.f}, v(lk * dv), out(2 * dv, 7.f);
        for (int t = 0; t < lk * dv; t++) v[t] = 0.1f * t;
        for (int c = 0; c < dv; c++) v[1 * dv + c] = NAN;
        int nonFinite = 1, lens[1] = {len};
        dim3 grid; grid.x = 1; grid.y = 1;
        emu_launch(grid, 256, [&] {
            ika_flash_d64(q.data(), k.data(), v.data(), out.data(), 1, 1, 2, lk, 0, 0, lens, d, dv, 1.f, &nonFinite);
        });
        bool nan = true, finite = true;
        for (float x : out) { nan &= std::isnan(x); finite &= std::isfinite(x); }
        expect(len == lk ? "fused: key of logit -1e30 with a NaN value makes the rows NaN"
                         : "fused: the same key beyond the valid length is skipped", len == lk ? nan : finite);
    }
}

int main() { setvbuf(stdout, nullptr, _IONBF, 0);
    gemmPath();
    fusedPath();
    printf("%d failures\n", failures);
    return failures != 0;
}
