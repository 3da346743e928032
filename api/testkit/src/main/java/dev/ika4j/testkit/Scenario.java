/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.testkit;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.testkit.RandomInputs.LastDim;
import dev.ika4j.testkit.RandomInputs.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One randomised attention call: shapes, options, and the seed its values come from. Printed in
 * full by {@link #toString()} so a failure can be replayed from the test report alone.
 *
 * @param scale   explicit scale, or null for the default 1/sqrt(dim)
 * @param softcap 0 for none
 */
public record Scenario(String label, long seed, int batch, int qHeads, int kvHeads, int qSeq, int kvSeq, int pastSeq,
                       int dim, int vDim, Storage storage, Double scale, boolean causal, MaskKind mask, int maskRank,
                       LastDim maskLast, double softcap, boolean lengths, boolean energy) {

    public enum MaskKind { NONE, BOOL, ADDITIVE }

    /** The arguments of the call; built afresh (same values) on every call of {@link #inputs()}. */
    public record Inputs(Tensor q, Tensor k, Tensor v, AttentionOptions options) {}

    public int totalKv() {
        return pastSeq + kvSeq;
    }

    /** Multiply-adds of the call: batch * q_heads * q_seq * total_kv * (dim + v_dim). */
    public long cost() {
        return (long) batch * qHeads * qSeq * totalKv() * (dim + vDim);
    }

    public Inputs inputs() {
        RandomInputs r = new RandomInputs(seed);
        Tensor q = r.tensor(storage, batch, qHeads, qSeq, dim);
        Tensor k = r.tensor(storage, batch, kvHeads, kvSeq, dim);
        Tensor v = r.tensor(storage, batch, kvHeads, kvSeq, vDim);
        AttentionOptions.Builder o = AttentionOptions.builder().causal(causal).returnEnergy(energy);
        if (scale != null) o.scale(scale);
        if (softcap > 0) o.softcap(softcap);
        if (pastSeq > 0) {
            // ONNX past_key / past_value are always 4-D, whatever the layout of K and V
            o.past(r.tensor(batch, kvHeads, pastSeq, dim), r.tensor(batch, kvHeads, pastSeq, vDim));
        }
        if (mask != MaskKind.NONE) {
            int[] dims = r.maskDims(maskRank, maskLast, batch, qHeads, qSeq, totalKv());
            AttentionMask m = mask == MaskKind.BOOL ? r.boolMask(dims, 0.75) : r.additiveMask(dims, 0.15);
            o.mask(m);
        }
        if (lengths) o.kvLengths(r.lengths(batch, totalKv()));
        return new Inputs(q, k, v, o.build());
    }

    /** The same call without a past cache or energy output (what resident calls accept). */
    public Scenario forResident() {
        return new Scenario(label + "/resident", seed, batch, qHeads, kvHeads, qSeq, kvSeq, 0, dim, vDim, storage, scale,
                causal, mask, maskRank, maskLast, softcap, lengths, false);
    }

    /** A scenario drawn from {@code seed}: shapes small enough for the float64 reference to be quick. */
    public static Scenario random(String label, long seed) {
        RandomInputs r = new RandomInputs(seed ^ 0x5DEECE66DL);
        int[][] heads = {{1, 1}, {2, 2}, {2, 1}, {4, 2}, {3, 3}, {6, 2}, {8, 1}, {4, 4}};
        int[] h = heads[r.between(0, heads.length - 1)];
        int dim = r.pickInt(1, 3, 4, 8, 16, 17, 32, 64, 65);
        int vDim = r.chance(0.5) ? dim : r.pickInt(1, 5, 16, 33, 65);
        MaskKind mask = r.pick(MaskKind.NONE, MaskKind.NONE, MaskKind.BOOL, MaskKind.ADDITIVE);
        return new Scenario(label, seed, r.between(1, 3), h[0], h[1], r.pickInt(1, 2, 3, 5, 7, 13, 16, 31),
                r.pickInt(1, 2, 3, 7, 17, 32, 61, 97), r.pickInt(0, 0, 0, 3, 11), dim, vDim,
                r.pick(Storage.HEAP, Storage.HEAP, Storage.PACKED, Storage.SEGMENT),
                r.chance(0.3) ? r.pickDouble(0.0, 0.05, 0.3, 1.7) : null, r.chance(0.4), mask, r.between(1, 4),
                r.pick(LastDim.FULL, LastDim.FULL, LastDim.SHORT, LastDim.ONE), r.chance(0.25) ? r.pickDouble(0.5, 5.0, 30.0) : 0,
                r.chance(0.25), r.chance(0.3));
    }

    /**
     * The shapes and options every backend is checked on: hand-picked edge cases (size 1, primes,
     * odd head dims, large GQA groups, every mask rank and kind) followed by random draws.
     */
    public static List<Scenario> standardSet() {
        List<Scenario> out = new ArrayList<>();
        out.add(new Scenario("all-ones", 11, 1, 1, 1, 1, 1, 0, 1, 1, Storage.HEAP, null, false, MaskKind.NONE, 1, LastDim.FULL, 0, false, false));
        out.add(new Scenario("q1-decode-gqa", 12, 2, 8, 2, 1, 61, 0, 64, 64, Storage.HEAP, null, false, MaskKind.NONE, 1, LastDim.FULL, 0, false, true));
        out.add(new Scenario("primes-causal", 13, 3, 6, 2, 13, 17, 0, 17, 3, Storage.HEAP, null, true, MaskKind.NONE, 1, LastDim.FULL, 0, false, true));
        out.add(new Scenario("dim3-v65-bool4d", 14, 2, 4, 4, 7, 11, 0, 3, 65, Storage.SEGMENT, null, false, MaskKind.BOOL, 4, LastDim.FULL, 0, false, false));
        out.add(new Scenario("packed-gqa-additive-short", 15, 2, 9, 3, 5, 19, 0, 24, 24, Storage.PACKED, null, false, MaskKind.ADDITIVE, 2, LastDim.SHORT, 0, false, true));
        out.add(new Scenario("past-causal-lengths", 16, 2, 4, 2, 3, 5, 11, 16, 8, Storage.HEAP, null, true, MaskKind.BOOL, 3, LastDim.SHORT, 0, true, true));
        out.add(new Scenario("softcap-scaled-additive", 17, 1, 2, 1, 16, 32, 0, 65, 33, Storage.HEAP, 1.7, false, MaskKind.ADDITIVE, 4, LastDim.FULL, 0.5, false, true));
        out.add(new Scenario("scale-zero", 18, 1, 3, 3, 4, 9, 0, 8, 8, Storage.PACKED, 0.0, true, MaskKind.NONE, 1, LastDim.FULL, 0, false, false));
        out.add(new Scenario("mask-one-column", 19, 2, 2, 2, 6, 10, 3, 5, 7, Storage.SEGMENT, null, false, MaskKind.BOOL, 1, LastDim.ONE, 30, true, false));
        out.add(new Scenario("q-longer-than-kv-causal", 20, 1, 4, 1, 31, 7, 0, 32, 1, Storage.HEAP, null, true, MaskKind.ADDITIVE, 1, LastDim.SHORT, 5, true, true));
        out.add(new Scenario("dim1-many-keys", 21, 1, 2, 2, 3, 97, 0, 1, 4, Storage.HEAP, 0.3, false, MaskKind.NONE, 1, LastDim.FULL, 0, false, false));
        for (int i = 0; i < 50; i++) out.add(random("random-" + i, 1000 + i));
        return out;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s(seed %d) b%d q%d/kv%d heads, q_seq %d, kv_seq %d",
                label, seed, batch, qHeads, kvHeads, qSeq, kvSeq));
        if (pastSeq > 0) s.append(" + past ").append(pastSeq);
        s.append(", dim ").append(dim).append(vDim != dim ? ", v_dim " + vDim : "").append(", ").append(storage);
        if (scale != null) s.append(", scale ").append(scale);
        if (causal) s.append(", causal");
        if (mask != MaskKind.NONE) s.append(", ").append(mask).append(" mask rank ").append(maskRank).append(' ').append(maskLast);
        if (softcap > 0) s.append(", softcap ").append(softcap);
        if (lengths) s.append(", kvLengths");
        if (energy) s.append(", energy");
        return s.toString();
    }
}
