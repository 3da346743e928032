/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.util.Locale;

/**
 * A benchmark problem's shape, written "BATCHxHEADSxSEQxDIM" in JMH parameters (one string, so a
 * profile lists exactly the shapes it wants rather than a cartesian product of four axes), with
 * two optional parts: "HEADS/KV_HEADS" for grouped-query attention (K and V have KV_HEADS heads,
 * each shared by HEADS / KV_HEADS query heads) and "SEQ:KV_SEQ" for queries against a longer key
 * sequence (decoding: "4x8x1:16384x64" is one new token per head against 16384 cached keys).
 * Without them, self-attention: K and V have the queries' head count and length. V has head dim DIM.
 */
public record Shape(int batch, int heads, int kvHeads, int seq, int kvSeq, int dim) {
    public Shape {
        if (batch < 1 || heads < 1 || kvHeads < 1 || seq < 1 || kvSeq < 1 || dim < 1) {
            throw new IllegalArgumentException("shape dims must be >= 1, got " + batch + "x" + heads + "/" + kvHeads + "x" + seq
                    + ":" + kvSeq + "x" + dim);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("query heads (" + heads + ") must be a multiple of kv heads (" + kvHeads + ")");
        }
    }

    /** Self-attention without grouped heads. */
    public Shape(int batch, int heads, int seq, int dim) {
        this(batch, heads, heads, seq, seq, dim);
    }

    /** Parses "1x8x1024x64", "1x32/8x512x128" or "4x8x1:16384x64". */
    public static Shape parse(String s) {
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
        if (p.length != 4) {
            throw new IllegalArgumentException("shape must be BATCHxHEADS[/KV_HEADS]xSEQ[:KV_SEQ]xDIM, e.g. 1x8x1024x64,"
                    + " 1x32/8x512x128 or 4x8x1:16384x64; got '" + s + "'");
        }
        try {
            String[] h = p[1].split("/", -1), q = p[2].split(":", -1);
            if (h.length > 2 || q.length > 2) throw new NumberFormatException(s);
            int heads = Integer.parseInt(h[0]), seq = Integer.parseInt(q[0]);
            return new Shape(Integer.parseInt(p[0]), heads, h.length == 2 ? Integer.parseInt(h[1]) : heads, seq,
                    q.length == 2 ? Integer.parseInt(q[1]) : seq, Integer.parseInt(p[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape must be BATCHxHEADS[/KV_HEADS]xSEQ[:KV_SEQ]xDIM with integer dims; got '"
                    + s + "'", e);
        }
    }

    /** Elements of Q or of the output. */
    public int elements() {
        return Math.multiplyExact(Math.multiplyExact(batch, heads), Math.multiplyExact(seq, dim));
    }

    /** Elements of K or of V. */
    public int kvElements() {
        return Math.multiplyExact(Math.multiplyExact(batch, kvHeads), Math.multiplyExact(kvSeq, dim));
    }

    /** Query heads per kv head. */
    public int group() {
        return heads / kvHeads;
    }

    /** Whether this is plain self-attention (no grouped heads, keys as long as queries): what every peer computes. */
    public boolean selfAttention() {
        return kvHeads == heads && kvSeq == seq;
    }

    /** Decoding: a few queries against a much longer key sequence, where reading K and V is the cost. */
    public boolean decode() {
        return kvSeq >= 16L * seq;
    }

    /**
     * (query, key) pairs per head that attention actually evaluates: all, or under causal masking
     * (ONNX's, without a past: query i sees keys 0..i) the lower triangle, L(L+1)/2 at kv_seq = seq.
     */
    public double pairsPerHead(boolean causal) {
        if (!causal) return (double) seq * kvSeq;
        double n = Math.min(seq, kvSeq);
        return n * (n + 1.0) / 2.0 + (seq - n) * (double) kvSeq;
    }

    /**
     * The FLOPs every implementation is credited with: 2 per multiply-add of Q.K^T and of P.V over
     * the pairs evaluated. Causal counts only the unmasked pairs, so a kernel that computes the
     * masked half for nothing shows up as a lower GFLOP/s instead of hiding behind it.
     */
    public double flops(boolean causal) {
        return 2.0 * batch * heads * pairsPerHead(causal) * (dim + dim);
    }

    /** Bytes of K and V (float32): what a decoding step must read at least once. */
    public double kvBytes() {
        return 2.0 * Float.BYTES * batch * kvHeads * (double) kvSeq * dim;
    }

    @Override
    public String toString() {
        return batch + "x" + heads + (kvHeads != heads ? "/" + kvHeads : "") + "x" + seq + (kvSeq != seq ? ":" + kvSeq : "") + "x"
                + dim;
    }
}
