/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.spi.MaskRows;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.Arrays;

/**
 * The sizes and resolved options of one call, as the device code needs them: every tensor is
 * contiguous BHSD on the device, K and V already include any past cache.
 *
 * @param kvLengths valid keys per batch, or null when every batch uses all kvSeq keys (then
 *                  nothing is uploaded for them)
 */
record DeviceProblem(int batch, int qHeads, int kvHeads, int group, int qSeq, int kvSeq, int pastSeq, int dim,
                     int vDim, float scale, boolean causal, MaskRows mask, float softcap, int[] kvLengths) {

    static DeviceProblem of(AttentionProblem p) {
        return new DeviceProblem(p.batch(), p.qHeads(), p.kvHeads(), p.group(), p.qSeq(), p.kvSeq(), p.pastSeq(), p.dim(), p.vDim(),
                p.scale(), p.causal(), p.mask(), p.softcap(), limitedOrNull(p.kvLengths(), p.kvSeq()));
    }

    /**
     * Validates a resident call with the same checks and messages as the host form
     * ({@link AttentionProblem#checkShapes}, the mask's broadcast, the lengths' range).
     */
    static DeviceProblem ofResident(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions o) {
        if (o.pastKey() != null) {
            throw new IllegalArgumentException("a past KV cache needs the host form of attention(); resident calls take none");
        }
        if (o.returnEnergy()) {
            throw new IllegalArgumentException("returnEnergy needs the host form of attention(); resident calls return none");
        }
        AttentionProblem.checkNoScoresResident(o);
        AttentionProblem.checkCopulaNotCausal(o);
        AttentionProblem.checkShapes(AttentionProblem.ShapeLike.of(q), AttentionProblem.ShapeLike.of(k),
                AttentionProblem.ShapeLike.of(v));
        if (q.seq() < 1) throw new IllegalArgumentException("Q " + q.shapeString() + " must have q_seq >= 1");
        int total = k.seq();
        MaskRows mask = o.mask() == null ? null : MaskRows.of(o.mask());
        if (mask != null) mask.checkBroadcast(q.batch(), q.heads(), q.seq(), total);
        int[] lens = o.kvLengths();
        if (lens != null) {
            if (lens.length != q.batch()) {
                throw new IllegalArgumentException("kvLengths has " + lens.length + " entries but Q " + q.shapeString()
                        + " has batch " + q.batch());
            }
            for (int b = 0; b < lens.length; b++) {
                if (lens[b] < 0 || lens[b] > total) {
                    throw new IllegalArgumentException("kvLengths[" + b + "] = " + lens[b] + " is outside [0, " + total
                            + "] (total kv_seq, past included)");
                }
            }
        }
        float scale = o.scale() == null ? (float) (1.0 / Math.sqrt(q.dim())) : o.scale().floatValue();
        return new DeviceProblem(q.batch(), q.heads(), k.heads(), q.heads() / k.heads(), q.seq(), total, 0, q.dim(),
                v.dim(), scale, o.causal(), mask, o.softcap(), limitedOrNull(lens, total));
    }

    private static int[] limitedOrNull(int[] lens, int total) {
        if (lens == null || Arrays.stream(lens).allMatch(l -> l == total)) return null;
        return lens.clone();
    }

    /** Bytes of the score rows of one query position across every (batch, head). */
    long scoreRowBytes() {
        return (long) Float.BYTES * batch * qHeads * kvSeq;
    }

    /** The mask as additive float32 biases, booleans turned into 0 / -inf. */
    float[] maskBiases() {
        if (mask.isBoolean()) {
            boolean[] allowed = mask.booleanData();
            float[] out = new float[allowed.length];
            for (int i = 0; i < allowed.length; i++) out[i] = allowed[i] ? 0f : Float.NEGATIVE_INFINITY;
            return out;
        }
        return mask.additiveData();
    }

    double flops() {
        return 2.0 * batch * qHeads * qSeq * (double) kvSeq * (dim + vDim);
    }
}
