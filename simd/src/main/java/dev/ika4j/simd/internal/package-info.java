/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The building blocks of the Vector API backend. Every fused kernel is a
 * {@link dev.ika4j.simd.internal.BlockKernel}: it supplies its raw logits, one key block of a query
 * block at a time, and {@link dev.ika4j.simd.internal.BlockDriver} does the rest: the split into
 * tasks on the {@link dev.ika4j.simd.internal.WorkPool} (one task per query block; per-worker
 * {@link dev.ika4j.simd.internal.BlockScratch} recycled through a
 * {@link dev.ika4j.simd.internal.ScratchPool}), the thread-confinement check, the packed values of
 * the current kv head ({@link dev.ika4j.simd.internal.PackedValues}), masking with
 * {@link dev.ika4j.simd.internal.LogitMask} (causal, valid lengths, attention mask, padding, with
 * the reference's -inf rules), the energy, and {@link dev.ika4j.simd.internal.OnlineSoftmax}, which
 * keeps the running max and sum and accumulates P.V. {@link dev.ika4j.simd.internal.StandardAttention}
 * is the worked example; {@link dev.ika4j.simd.internal.VectorMath} has exp, tanh, dot, axpy and a
 * reproducible lane sum; {@link dev.ika4j.simd.internal.SimdWidth} the vector width and FMA settings.
 *
 * <p>Reproducibility rule for code here: results must be bit-identical for any thread count,
 * scheduling and JIT tier, so use only IEEE lane-wise operations and {@link
 * dev.ika4j.simd.internal.VectorMath#sumLanes}, never {@code reduceLanes(ADD)} or the library
 * transcendental operators (their rounding may differ between interpreted and compiled code).
 */
package dev.ika4j.simd.internal;
