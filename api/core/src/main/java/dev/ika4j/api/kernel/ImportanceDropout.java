/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.kernel;

/**
 * Dropout on the importance term of the spectral kernels, as the authors' training code applies it
 * (p = 0.1, {@link #AUTHORS_RATE}): in training mode the [batch, heads, q_seq, kv_seq] importance
 * I(q_i) + I(k_j) is multiplied element-wise by m_ij / (1 - p), m_ij in {0, 1} kept with
 * probability 1 - p, before it is added to the log kernel:
 *
 * <pre>
 *   logit_ij = log(kappa_ij + eps) + m_ij / (1 - p) (I(q_i) + I(k_j))
 * </pre>
 *
 * The mask is a counter-based hash of (seed, batch, query head, query, key), so every backend
 * draws the same mask without storing it, and the backward reads the same one; pass a new seed per
 * training step for a fresh mask. Key indices count the past keys first, as the present keys do.
 * In inference mode (training false) it does nothing, as {@code nn.Dropout} in eval mode. The
 * linear-time mode cannot apply it (it sums over keys before it sees a query) and refuses it.
 *
 * @param rate     p in [0, 1)
 * @param seed     the mask's seed
 * @param training whether the dropout is applied
 */
public record ImportanceDropout(double rate, long seed, boolean training) {
    /** The authors' rate ({@code nn.Dropout(0.1)} on the importance term). */
    public static final double AUTHORS_RATE = 0.1;

    public ImportanceDropout {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("importance dropout rate must be in [0, 1), got " + rate);
    }

    /** Training-mode dropout at {@code rate} with mask seed {@code seed}. */
    public static ImportanceDropout training(double rate, long seed) {
        return new ImportanceDropout(rate, seed, true);
    }

    /** Whether it changes anything: training mode and a positive rate. */
    public boolean active() {
        return training && rate > 0;
    }

    /** The same dropout with another seed (the next training step's mask). */
    public ImportanceDropout withSeed(long s) {
        return new ImportanceDropout(rate, s, training);
    }

    /** The same dropout in inference mode (or back in training mode). */
    public ImportanceDropout withTraining(boolean t) {
        return new ImportanceDropout(rate, seed, t);
    }

    /**
     * The factor on the importance of (batch b, query head h, query i, key j): 0 where dropped,
     * 1 / (1 - p) where kept; 1 when not {@link #active}.
     */
    public double factor(int b, int h, int i, int j) {
        if (!active()) return 1.0;
        return keep(seed, b, h, i, j, rate) ? 1.0 / (1.0 - rate) : 0.0;
    }

    /** Whether entry (b, h, i, j) is kept: a uniform in [0, 1) from the hash, at least p. */
    public static boolean keep(long seed, int b, int h, int i, int j, double rate) {
        long z = mix(seed + 0x9E3779B97F4A7C15L);
        z = mix(z + b);
        z = mix(z + h);
        z = mix(z + i);
        z = mix(z + j);
        return (z >>> 11) * 0x1.0p-53 >= rate;
    }

    /** SplitMix64's finaliser: a bijection of the 64-bit words with good avalanche. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The active dropout of a spectral kernel's options, or null (other kernels, none, inference). */
    public static ImportanceDropout of(AttentionKernel k) {
        IkaOptions o = switch (k) {
            case IkaDirectKernel d -> d.options();
            case IkaGeneratorKernel g -> g.options();
            case CopulaKernel c -> c.options();
            default -> null;
        };
        return o == null || o.importanceDropout() == null || !o.importanceDropout().active() ? null : o.importanceDropout();
    }
}
