/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The kernels of paper.cu against direct float64 formulas on the CPU emulation of emu.h: the
// importances (every p, the RBF correction, NaN/zero rows), the shifted row/column terms with
// valid lengths and GQA, phi with shared and per-batch W, the logit transform, the energy's row
// term and the copula's pooled means. Checks indexing and numerics, not speed.
#include "emu.h"
#include <cstdio>
#include <random>
#undef __launch_bounds__
#define __launch_bounds__(...)
// emu.h shuffles 4-byte values; the importances shuffle doubles.
static unsigned long long emu_shuf64[1024];
template <> double __shfl_xor_sync<double>(unsigned, double v, int off) {
    unsigned t = threadIdx.x; unsigned long long bits; memcpy(&bits, &v, 8);
    std::barrier<>* wb = emu_warp_bar[t / 32];
    emu_shuf64[t] = bits; wb->arrive_and_wait();
    unsigned long long o = emu_shuf64[t ^ off]; wb->arrive_and_wait();
    double r; memcpy(&r, &o, 8); return r;
}
inline double __longlong_as_double(long long i) { double d; memcpy(&d, &i, 8); return d; }
inline void sincos(double x, double* s, double* c) { *s = std::sin(x); *c = std::cos(x); }
using std::fabs; using std::fmax; using std::isinf; using std::isfinite; using std::pow; using std::fma;
#include "paper_emu.cu"
static int failures = 0;

static void check(const char* what, double expect, double got, double tol) {
    bool ok = (std::isnan(expect) && std::isnan(got)) || (std::isinf(expect) && expect == got) || std::fabs(expect - got) <= tol;
    if (!ok && failures++ < 20) std::printf("FAIL %s: expected %.9g, got %.9g\n", what, expect, got);
}

static double lpsq(const float* x, int d, double p) {
    double mx = 0; for (int r = 0; r < d; r++) { double a = std::fabs((double)x[r]); if (a != a) return NAN; mx = std::max(mx, a); }
    if (mx == 0 || std::isinf(mx) || std::isinf(p)) return mx * mx;
    double s = 0; for (int r = 0; r < d; r++) s += std::pow(std::fabs((double)x[r]) / mx, p);
    return mx * mx * std::pow(s, 2.0 / p);
}

// A 2-D block emulated as blockDim.x * blockDim.y threads of emu.h's 1-D launch.
template <class F> void launch2d(dim3 grid, unsigned bx, unsigned by, F kernel) {
    emu_launch(grid, bx * by, [&] { unsigned t = threadIdx.x; threadIdx.y = t / bx; threadIdx.x = t % bx; kernel(); threadIdx.x = t; });
}

int main() {
    std::mt19937 rng(7);
    std::normal_distribution<float> N(0, 1.5f);
    const int B = 2, Hq = 4, Hkv = 2, G = Hq / Hkv, Lq = 5, Lk = 37, d = 13, m = 35;
    std::vector<float> q((size_t)B * Hq * Lq * d), k((size_t)B * Hkv * Lk * d);
    for (auto& x : q) x = N(rng);
    for (auto& x : k) x = N(rng);
    for (int c = 0; c < d; c++) k[5 * d + c] = 0.f;           // a zero row
    k[7 * d + 3] = NAN;                                       // a NaN row
    for (int c = 0; c < d; c++) k[(Lk + 2) * d + c] *= 300.f; // a large row, head 1
    double tau = 1.7;
    for (double p : {2.0, 1.8, 3.0, (double)INFINITY}) {
        for (int rbf : {0, 1}) {
            long long rows = (long long)B * Hkv * Lk;
            std::vector<double> out(rows, -1);
            dim3 grid; grid.x = (rows + 7) / 8;
            emu_launch(grid, 256, [&] { ika_row_importance(k.data(), rows, d, p, 1 / (2 * tau), rbf, out.data()); });
            for (long long r = 0; r < rows; r++) {
                const float* x = &k[r * d];
                double e = lpsq(x, d, p);
                if (rbf) e = p == 2.0 ? 0.0 : e - lpsq(x, d, 2.0);
                e /= 2 * tau;
                check("importance", e, out[r], 1e-12 * std::max(1.0, std::fabs(e)));
            }
        }
    }
    // terms: shift = max valid colTerm per (b, kh)
    {
        std::vector<double> iq((size_t)B * Hq * Lq), ik((size_t)B * Hkv * Lk);
        for (auto& x : iq) x = N(rng) * 100;
        for (auto& x : ik) x = N(rng) * 100;
        ik[3] = NAN;
        int lens[B] = {11, 0};
        std::vector<float> row(iq.size()), col(ik.size());
        dim3 grid; grid.x = B * Hkv;
        emu_launch(grid, 64, [&] { ika_paper_terms(iq.data(), ik.data(), Hq, Hkv, Lq, Lk, lens, row.data(), col.data()); });
        for (int b = 0; b < B; b++)
            for (int kh = 0; kh < Hkv; kh++) {
                double mx = -INFINITY;
                for (int j = 0; j < lens[b]; j++) if (ik[(b * Hkv + kh) * Lk + j] > mx) mx = ik[(b * Hkv + kh) * Lk + j];
                double sh = std::isfinite(mx) ? mx : 0;
                for (int j = 0; j < Lk; j++) check("colTerm", (float)(ik[(b * Hkv + kh) * Lk + j] - sh), col[(b * Hkv + kh) * Lk + j], 0);
                for (int h = kh * G; h < kh * G + G; h++)
                    for (int i = 0; i < Lq; i++) check("rowTerm", (float)(iq[(b * Hq + h) * Lq + i] + sh), row[(b * Hq + h) * Lq + i], 0);
            }
    }
    // phi of the keys (GQA: feature head h reads kv head h / G), shared and per-batch W
    for (int perBatch : {0, 1}) {
        std::vector<double> w1((size_t)(perBatch ? B : 1) * d * Hq * m), w2(w1.size());
        for (auto& x : w1) x = N(rng);
        for (auto& x : w2) x = N(rng);
        std::vector<float> phi((size_t)B * Hq * Lk * 2 * m, 9.f);
        std::vector<float> kk = k;
        for (auto& x : kk) if (x != x || std::fabs(x) > 50) x = 0.5f;
        dim3 grid; grid.x = B * Hq * ((Lk + 31) / 32); grid.y = (m + 31) / 32;
        launch2d(grid, 32, 8, [&] { ika_phi(kk.data(), Hkv, Lk, d, w1.data(), w2.data(), Hq, G, m, perBatch, phi.data()); });
        for (int b = 0; b < B; b++)
            for (int h = 0; h < Hq; h++)
                for (int j = 0; j < Lk; j++)
                    for (int s = 0; s < m; s++) {
                        double a = 0, c = 0;
                        size_t wo = perBatch ? (size_t)b * d * Hq * m : 0;
                        for (int r = 0; r < d; r++) {
                            double x = kk[((size_t)(b * Hkv + h / G) * Lk + j) * d + r];
                            a += w1[wo + (r * Hq + h) * m + s] * x;
                            c += w2[wo + (r * Hq + h) * m + s] * x;
                        }
                        size_t o = ((size_t)(b * Hq + h) * Lk + j) * 2 * m;
                        check("phi cos", (float)(std::cos(a) + std::cos(c)), phi[o + s], 1e-6);
                        check("phi sin", (float)(std::sin(a) + std::sin(c)), phi[o + m + s], 1e-6);
                    }
    }
    // logits in place and the energy's row term
    {
        const int nb = 3, ld = 29;
        std::vector<float> col((size_t)B * Hkv * Lk), s0((size_t)B * Hq * nb * ld);
        for (auto& x : col) x = N(rng);
        for (auto& x : s0) x = N(rng) * 0.1f;
        s0[4] = 0.f;
        for (int spectral : {0, 1}) {
            for (float eps : {1e-5f, 0.f}) {
                std::vector<float> s = s0;
                dim3 grid; grid.x = B * Hq * nb;
                emu_launch(grid, 32, [&] { ika_paper_logits(s.data(), ld, nb, Hq, G, Lk, col.data(), spectral, eps); });
                for (int bh = 0; bh < B * Hq; bh++)
                    for (int ii = 0; ii < nb; ii++)
                        for (int j = 0; j < ld; j++) {
                            size_t o = ((size_t)bh * nb + ii) * ld + j;
                            float c = col[((size_t)(bh / Hq) * Hkv + (bh % Hq) / G) * Lk + j], x = s0[o];
                            float e = spectral ? std::log(std::fma(x, x, eps)) + c : x + c;
                            check("logit", e, s[o], 1e-6 * std::max(1.0f, std::fabs(e)));
                        }
            }
        }
        std::vector<float> en((size_t)B * Hq * Lq * Lk), rt((size_t)B * Hq * Lq);
        for (auto& x : en) x = (rng() % 4 == 0) ? -INFINITY : N(rng);
        for (auto& x : rt) x = N(rng);
        std::vector<float> e2 = en;
        dim3 grid; grid.x = B * Hq * Lq;
        emu_launch(grid, 32, [&] { ika_energy_add_rows(e2.data(), Lk, rt.data()); });
        for (size_t i = 0; i < en.size(); i++) check("energy row term", en[i] == -INFINITY ? -INFINITY : en[i] + rt[i / Lk], e2[i], 0);
    }
    // pooled means
    {
        int lens[B] = {Lk, 4};
        std::vector<double> pooled((size_t)B * Hq * 2 * d);
        dim3 grid; grid.x = B * Hq;
        emu_launch(grid, 32, [&] { ika_pool_means(q.data(), k.data(), Hq, Hkv, Lq, Lk, d, lens, pooled.data()); });
        for (int b = 0; b < B; b++)
            for (int h = 0; h < Hq; h++)
                for (int c = 0; c < d; c++) {
                    double sq = 0, sk = 0;
                    for (int i = 0; i < Lq; i++) sq += q[((size_t)(b * Hq + h) * Lq + i) * d + c];
                    for (int j = 0; j < lens[b]; j++) sk += k[((size_t)(b * Hkv + h / G) * Lk + j) * d + c];
                    check("pool q", sq / Lq, pooled[(b * Hq + h) * 2 * d + c], 1e-12);
                    check("pool k", sk / lens[b], pooled[(b * Hq + h) * 2 * d + d + c], 1e-12);
                }
    }
    if (failures) std::printf("test_paper: %d FAILURES\n", failures);
    else std::printf("test_paper: every paper.cu kernel matches its formula\n");
    return failures ? 1 : 0;
}
