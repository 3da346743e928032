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

    /** Validates and resolves a resident call: {@link AttentionProblem#checkResident}, the host form's checks and messages. */
    static DeviceProblem ofResident(ResidentTensor q, ResidentTensor k, ResidentTensor v, AttentionOptions o) {
        AttentionProblem.checkResident(AttentionProblem.ShapeLike.of(q), AttentionProblem.ShapeLike.of(k),
                AttentionProblem.ShapeLike.of(v), o);
        int total = k.seq();
        MaskRows mask = o.mask() == null ? null : MaskRows.of(o.mask());
        return new DeviceProblem(q.batch(), q.heads(), k.heads(), q.heads() / k.heads(), q.seq(), total, 0, q.dim(), v.dim(),
                AttentionProblem.resolveScale(q.dim(), o), o.causal(), mask, o.softcap(),
                limitedOrNull(AttentionProblem.resolveLengths(q.batch(), total, o), total));
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
