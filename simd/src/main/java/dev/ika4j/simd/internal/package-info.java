/**
 * The building blocks of the Vector API backend, public so that every kernel of the family can
 * reuse them. A fused attention kernel is: split the work with {@link
 * dev.ika4j.simd.internal.WorkPool} (one task per query block; per-worker scratch recycled through
 * a {@link dev.ika4j.simd.internal.ScratchPool}), pack the values of the current kv head once per
 * worker ({@link dev.ika4j.simd.internal.PackedValues}), and for each key block form that kernel's
 * raw logits tile, mask it with {@link dev.ika4j.simd.internal.LogitMask} (causal, valid lengths,
 * attention mask, padding, with the reference's -inf rules), then fold it into
 * {@link dev.ika4j.simd.internal.OnlineSoftmax}, which keeps the running max and sum and
 * accumulates P.V. {@link dev.ika4j.simd.internal.StandardAttention} is the worked example;
 * {@link dev.ika4j.simd.internal.VectorMath} has exp, tanh, dot, axpy and a reproducible lane sum.
 *
 * <p>Reproducibility rule for code here: results must be bit-identical for any thread count,
 * scheduling and JIT tier, so use only IEEE lane-wise operations and {@link
 * dev.ika4j.simd.internal.VectorMath#sumLanes}, never {@code reduceLanes(ADD)} or the library
 * transcendental operators (their rounding may differ between interpreted and compiled code).
 */
package dev.ika4j.simd.internal;
