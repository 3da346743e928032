/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.spi.MaskRows;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.ika4j.api.Neighbourhood;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The masking every kernel shares, applied to raw logits of one query row over one key block:
 * keys at or past {@link AttentionProblem#keyLimit} (causal, valid lengths, padding columns) and
 * keys whose mask bias is -inf become exactly -inf, whatever the raw logit was (so NaN in a
 * masked key cannot leak); the rest get the additive bias added. Same order and rules as the
 * reference backend. Stateless and thread-safe.
 */
public final class LogitMask {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private LogitMask() {}

    /**
     * Masks logits {@code s[off .. off+width)}, which hold keys [j0, j0+width) of query row i in
     * (b, h). Columns at or past kv_seq count as excluded (they are padding).
     */
    public static void apply(AttentionProblem p, int b, int h, int i, float[] s, int off, int j0, int width) {
        int valid = Math.clamp((long) Math.min(p.keyLimit(b, i), bandEnd(p, i)) - j0, 0, width);
        if (p.mask() != null && valid > 0) applyMask(p.mask(), b, h, i, s, off, j0, valid);
        Arrays.fill(s, off + valid, off + width, NEG_INF);
        // keys left of a band (a neighbourhood and a mask never come together)
        int before = Math.clamp((long) bandStart(p, i) - j0, 0, valid);
        Arrays.fill(s, off, off + before, NEG_INF);
    }

    /** The problem's band, or null; a CSR neighbourhood is gathered before any fused loop sees it. */
    static Neighbourhood band(AttentionProblem p) {
        Neighbourhood n = p.neighbourhood();
        if (n == null) return null;
        if (!n.isBanded()) throw new IllegalStateException("a CSR neighbourhood reached the fused loop (" + n + "); it is gathered first");
        return n;
    }

    /** The first key query i may see under the band: t - left for t = past + i, at least 0 (0 without a band). */
    public static int bandStart(AttentionProblem p, int i) {
        Neighbourhood n = band(p);
        return n == null ? 0 : (int) Math.max(0, (long) p.pastSeq() + i - n.left());
    }

    /** One past the last key query i may see under the band, t + right + 1 (Integer.MAX_VALUE without a band). */
    public static int bandEnd(AttentionProblem p, int i) {
        Neighbourhood n = band(p);
        return n == null ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, (long) p.pastSeq() + i + n.right() + 1);
    }

    /** Applies the attention mask to keys [j0, j0+n) of row (b, h, i). */
    static void applyMask(MaskRows mask, int b, int h, int i, float[] s, int off, int j0, int n) {
        int base = mask.rowOffset(b, h, i);
        boolean[] allowed = mask.booleanData();
        float[] bias = mask.additiveData();
        if (mask.broadcastsColumns()) {
            float v = allowed != null ? (allowed[base] ? 0f : NEG_INF) : bias[base];
            if (v == NEG_INF) {
                Arrays.fill(s, off, off + n, NEG_INF);
            } else if (v != 0f) {
                addScalar(s, off, n, v);
            }
            return;
        }
        // Keys past the mask's stored columns are masked (ONNX pads a short mask with -inf).
        int stored = Math.clamp((long) mask.columns() - j0, 0, n);
        Arrays.fill(s, off + stored, off + n, NEG_INF);
        int m0 = base + j0;
        int k = 0;
        if (allowed != null) {
            for (; k + L <= stored; k += L) {
                VectorMask<Float> ok = VectorMask.fromArray(SP, allowed, m0 + k);
                FloatVector.fromArray(SP, s, off + k).blend(NEG_INF, ok.not()).intoArray(s, off + k);
            }
            for (; k < stored; k++) if (!allowed[m0 + k]) s[off + k] = NEG_INF;
        } else {
            for (; k + L <= stored; k += L) {
                FloatVector bv = FloatVector.fromArray(SP, bias, m0 + k);
                FloatVector sv = FloatVector.fromArray(SP, s, off + k).add(bv);
                // -inf + (+inf or NaN) would be NaN; a -inf bias masks regardless of the logit.
                sv.blend(NEG_INF, bv.compare(VectorOperators.EQ, NEG_INF)).intoArray(s, off + k);
            }
            for (; k < stored; k++) {
                float bv = bias[m0 + k];
                s[off + k] = bv == NEG_INF ? NEG_INF : s[off + k] + bv;
            }
        }
    }

    private static void addScalar(float[] s, int off, int n, float v) {
        int k = 0;
        for (; k + L <= n; k += L) FloatVector.fromArray(SP, s, off + k).add(v).intoArray(s, off + k);
        for (; k < n; k++) s[off + k] += v;
    }

    /** Copies logits s[off .. off+n) into energy row (b, h, i), columns [j0, j0+n). */
    public static void writeEnergy(Tensor energy, int b, int h, int i, int j0, float[] s, int off, int n) {
        if (n <= 0) return;
        long at = energy.offset(b, h, i) + j0;
        if (energy.isHeap()) {
            System.arraycopy(s, off, energy.array(), (int) at, n);
        } else {
            MemorySegment.copy(s, off, energy.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, at * Float.BYTES, n);
        }
    }

    /** Sets energy row (b, h, i), columns [from, to), to -inf (keys no block visited). */
    public static void fillEnergyMasked(Tensor energy, int b, int h, int i, int from, int to) {
        if (to <= from) return;
        long at = energy.offset(b, h, i) + from;
        if (energy.isHeap()) {
            Arrays.fill(energy.array(), (int) at, (int) at + (to - from), NEG_INF);
        } else {
            for (int j = from; j < to; j++) energy.set(b, h, i, j, NEG_INF);
        }
    }
}
