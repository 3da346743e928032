#!/usr/bin/env python3
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
"""PyTorch peers for the cuda backend's attention benchmark, on the same shapes, in FP32.

Times (CUDA events, warm-up, median) torch.nn.functional.scaled_dot_product_attention in FP32,
non-causal and causal, and the two batched SGEMMs of the same FLOPs (Q.K^T and P.V via torch.bmm
with TF32 off: cuBLAS SGEMM), then joins our CSV (from CudaAttentionBench: both of our paths, the
one auto picks marked) into a Markdown table.

usage: torch_sdpa_bench.py --ours ours.csv --out table.md [--csv torch.csv]
       torch_sdpa_bench.py --half --ours half.csv --out table.md

With --half, ours.csv comes from HalfKernelBench (the tensor-core kernel on float16 and bfloat16
device buffers) and the peer is SDPA restricted to its flash kernel in the same dtype.
"""
import argparse
import csv
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def timed(fn, budget_s=1.5, max_reps=30):
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    fn()
    end.record()
    torch.cuda.synchronize()
    first = start.elapsed_time(end)
    reps = int(max(3, min(max_reps, budget_s * 1e3 / max(first, 1e-3))))
    ms = []
    for _ in range(reps):
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        ms.append(start.elapsed_time(end))
    return statistics.median(ms), min(ms), reps


def sdpa_backend_name(q, k, v):
    """Which fused kernel torch picks for these inputs (FP32 has no flash kernel)."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    for name, be in (("flash", SDPBackend.FLASH_ATTENTION), ("efficient", SDPBackend.EFFICIENT_ATTENTION),
                     ("cudnn", SDPBackend.CUDNN_ATTENTION), ("math", SDPBackend.MATH)):
        try:
            with sdpa_kernel([be]):
                F.scaled_dot_product_attention(q[:1, :1, :8], k[:1, :1, :8], v[:1, :1, :8])
            return name
        except RuntimeError:
            continue
    return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--csv", default=None)
    ap.add_argument("--half", action="store_true")
    args = ap.parse_args()
    if args.half:
        return half_main(args)

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    print("torch", torch.__version__, "cuda", torch.version.cuda, "device", torch.cuda.get_device_name(0), flush=True)

    # ours.csv: one line per (shape, causal, path); auto=true marks the path the backend picks.
    with open(args.ours) as f:
        ours = list(csv.DictReader(f))
    groups = {}
    for r in ours:
        key = (int(r["batch"]), int(r["heads"]), int(r["seq"]), int(r["dim"]))
        causal = r["causal"].lower() == "true"
        groups.setdefault(key, {}).setdefault(causal, {})[r["path"]] = r
        if r["auto"].lower() == "true":
            groups[key][causal]["auto"] = r["path"]

    rows = []
    for (b, h, s, d), by_causal in groups.items():
        g = torch.Generator(device=dev).manual_seed(0)
        q = torch.randn(b, h, s, d, device=dev, dtype=torch.float32, generator=g)
        k = torch.randn(b, h, s, d, device=dev, dtype=torch.float32, generator=g)
        v = torch.randn(b, h, s, d, device=dev, dtype=torch.float32, generator=g)
        picked = sdpa_backend_name(q, k, v)
        # The same two GEMMs as attention (S = Q.K^T, O = P.V), nothing else: the cuBLAS SGEMM time.
        q3, k3, v3 = q.view(b * h, s, d), k.view(b * h, s, d), v.view(b * h, s, d)
        try:
            p3 = torch.empty(b * h, s, s, device=dev, dtype=torch.float32)
            o3 = torch.empty(b * h, s, d, device=dev, dtype=torch.float32)

            def gemms():
                torch.bmm(q3, k3.transpose(1, 2), out=p3)
                torch.bmm(p3, v3, out=o3)

            t_gemm, _, _ = timed(gemms)
            del p3, o3
        except torch.OutOfMemoryError:
            t_gemm = float("nan")
        torch.cuda.empty_cache()
        for causal in sorted(by_causal):
            paths = by_causal[causal]
            t_sdpa, _, n_sdpa = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal))
            flops = 4.0 * b * h * s * s * d * (0.5 if causal else 1.0)
            auto = paths.get("auto", "?")
            mine = paths.get(auto, {})
            t_ours = float(mine.get("median_ms", "nan"))
            t_gemm_path = float(paths.get("gemm", {}).get("median_ms", "nan"))
            t_fused_path = float(paths.get("fused", {}).get("median_ms", "nan"))
            row = dict(batch=b, heads=h, seq=s, dim=d, causal=causal, auto=auto, ours_ms=t_ours,
                       gemm_path_ms=t_gemm_path, fused_path_ms=t_fused_path, torch_ms=t_sdpa, gemm_ms=t_gemm,
                       ours_gflops=flops / t_ours / 1e6, torch_gflops=flops / t_sdpa / 1e6,
                       vs_torch=t_sdpa / t_ours, vs_gemm=t_ours / t_gemm, sdpa=picked, reps=n_sdpa,
                       ours_err=mine.get("max_abs_err", ""))
            rows.append(row)
            print("{batch}x{heads} seq {seq} d {dim} causal {causal}: ours[{auto}] {ours_ms:.3f} ms "
                  "({ours_gflops:.0f} GFLOP/s; gemm path {gemm_path_ms:.3f}, fused path {fused_path_ms:.3f}), "
                  "sdpa[{sdpa}] {torch_ms:.3f} ms ({torch_gflops:.0f}), 2xSGEMM {gemm_ms:.3f} ms; "
                  "ours/torch speed {vs_torch:.2f}x, ours time / SGEMM time {vs_gemm:.2f}".format(**row), flush=True)
        del q, k, v, q3, k3, v3
        torch.cuda.empty_cache()

    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["none"])
            w.writeheader()
            w.writerows(rows)
    lines = [
        "Standard attention forward, FP32, resident inputs, median of synchronised calls.",
        "torch: " + torch.__version__ + " (CUDA " + str(torch.version.cuda) + "), " + torch.cuda.get_device_name(0)
        + ", TF32 off. FLOPs = 4*b*h*seq^2*d, halved for causal. 'ours' is the path auto picks; both paths"
        " are listed. The SGEMM column is the full (non-causal) 2xSGEMM time in both cases.",
        "",
        "| b x h | seq | d | causal | auto path | ours ms | ours GFLOP/s | gemm path ms | fused path ms | SDPA kernel |"
        " SDPA ms | SDPA GFLOP/s | ours / SDPA speed | 2xSGEMM ms | ours time / SGEMM time | spot-check err |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append("| {batch}x{heads} | {seq} | {dim} | {causal} | {auto} | {ours_ms:.3f} | {ours_gflops:.0f} | "
                     "{gemm_path_ms:.3f} | {fused_path_ms:.3f} | {sdpa} | {torch_ms:.3f} | {torch_gflops:.0f} | "
                     "{vs_torch:.2f}x | {gemm_ms:.3f} | {vs_gemm:.2f} | {ours_err} |".format(**r))
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


def half_main(args):
    from torch.nn.attention import SDPBackend, sdpa_kernel
    dev = torch.device("cuda")
    print("torch", torch.__version__, "cuda", torch.version.cuda, "device", torch.cuda.get_device_name(0), flush=True)
    with open(args.ours) as f:
        ours = list(csv.DictReader(f))
    lines = [
        "Standard attention forward in half precision (float32 accumulation), inputs on the device, median of "
        "synchronised calls. Ours: the tensor-core kernel (flash_half.cu, HalfKernelBench); peer: "
        "torch.nn.functional.scaled_dot_product_attention restricted to its flash kernel, same dtype.",
        "torch: " + torch.__version__ + " (CUDA " + str(torch.version.cuda) + "), " + torch.cuda.get_device_name(0)
        + ". FLOPs = 4*b*h*seq^2*d, halved for causal.",
        "",
        "| b x h | seq | d | causal | dtype | ours ms | ours GFLOP/s | SDPA flash ms | SDPA GFLOP/s | ours / SDPA speed | spot-check err |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in ours:
        b, h, s_, d = int(r["batch"]), int(r["heads"]), int(r["seq"]), int(r["dim"])
        causal = r["causal"].lower() == "true"
        dtype = torch.float16 if r["dtype"] == "fp16" else torch.bfloat16
        g = torch.Generator(device=dev).manual_seed(0)
        q, k, v = (torch.randn(b, h, s_, d, device=dev, generator=g).to(dtype) for _ in range(3))
        try:
            with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
                t, _, _ = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal))
        except RuntimeError as e:
            print("SDPA flash failed:", e, flush=True)
            t = float("nan")
        flops = 4.0 * b * h * s_ * s_ * d * (0.5 if causal else 1.0)
        mine = float(r["median_ms"])
        line = "| {}x{} | {} | {} | {} | {} | {:.3f} | {:.0f} | {:.3f} | {:.0f} | {:.2f}x | {} |".format(
            b, h, s_, d, causal, r["dtype"], mine, flops / mine / 1e6, t, flops / t / 1e6, t / mine, r["max_abs_err"])
        print(line, flush=True)
        lines.append(line)
        del q, k, v
        torch.cuda.empty_cache()
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
