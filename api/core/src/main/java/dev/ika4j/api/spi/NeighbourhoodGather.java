/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.spi;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention over a {@link Neighbourhood} on a backend's dense kernels, in time proportional to the
 * visible (query, key) pairs: each query's visible keys (its candidates that pass causal and the
 * valid lengths) are gathered into a batch entry of their own, one query long, and the queries are
 * bucketed by their key count rounded up to a power of two, so one dense call per bucket computes
 * them all with the bucket's valid lengths masking the padding. Padding at most doubles the work
 * (edges x head dim); no [q_seq, kv_seq] matrix is formed, and every kernel of the family runs
 * unchanged, because a kernel's logit of (q_i, k_j) depends on q_i, k_j and the head's parameters
 * only. The regulariser (parameters only) is the first bucket's.
 */
public final class NeighbourhoodGather {
    private NeighbourhoodGather() {}

    /** One bucket: the queries it holds and their visible keys, padded to {@code width}. */
    public record Bucket(int width, int[] batch, int[] query, int[][] keys) {
        public int size() { return batch.length; }
    }

    /** The buckets of {@code p}: queries with no visible key are in none (their row stays zero). */
    public static List<Bucket> buckets(AttentionProblem p) {
        Neighbourhood nb = p.neighbourhood();
        List<List<int[]>> byWidth = new ArrayList<>();
        for (int b = 0; b < p.batch(); b++) {
            for (int i = 0; i < p.qSeq(); i++) {
                int limit = p.keyLimit(b, i);
                int deg = nb.degree(b, i, p.pastSeq(), p.kvSeq());
                int[] keys = new int[deg];
                int n = 0;
                for (int e = 0; e < deg; e++) {
                    int j = nb.key(b, i, e, p.pastSeq());
                    if (j < limit) keys[n++] = j;
                }
                if (n == 0) continue;
                int w = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(log2 n)
                while (byWidth.size() <= w) byWidth.add(new ArrayList<>());
                int[] row = new int[n + 2];
                row[0] = b;
                row[1] = i;
                System.arraycopy(keys, 0, row, 2, n);
                byWidth.get(w).add(row);
            }
        }
        List<Bucket> out = new ArrayList<>();
        for (int w = 0; w < byWidth.size(); w++) {
            List<int[]> rows = byWidth.get(w);
            if (rows.isEmpty()) continue;
            int[] bs = new int[rows.size()], qs = new int[rows.size()];
            int[][] ks = new int[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                int[] row = rows.get(r);
                bs[r] = row[0];
                qs[r] = row[1];
                ks[r] = java.util.Arrays.copyOfRange(row, 2, row.length);
            }
            out.add(new Bucket(1 << w, bs, qs, ks));
        }
        return out;
    }

    /** The gathered queries of a bucket, [n, q_heads, 1, dim]. */
    public static Tensor queries(AttentionProblem p, Bucket u) {
        Tensor t = Tensor.zerosBhsd(u.size(), p.qHeads(), 1, p.dim());
        for (int r = 0; r < u.size(); r++)
            for (int h = 0; h < p.qHeads(); h++)
                for (int c = 0; c < p.dim(); c++) t.set(r, h, 0, c, p.q().get(u.batch()[r], h, u.query()[r], c));
        return t;
    }

    /** The gathered rows of a present tensor (keys or values), [n, kv_heads, width, dim]. */
    public static Tensor gather(AttentionProblem p, Tensor present, Bucket u) {
        Tensor t = Tensor.zerosBhsd(u.size(), p.kvHeads(), u.width(), present.dim());
        for (int r = 0; r < u.size(); r++)
            for (int h = 0; h < p.kvHeads(); h++)
                for (int n = 0; n < u.keys()[r].length; n++)
                    for (int c = 0; c < present.dim(); c++) t.set(r, h, n, c, present.get(u.batch()[r], h, u.keys()[r][n], c));
        return t;
    }

    /** The dense options of a bucket: the call's kernel, scale and softcap, its key counts as valid lengths. */
    public static AttentionOptions options(AttentionProblem p, AttentionOptions call, Bucket u, boolean energy) {
        int[] lens = new int[u.size()];
        for (int r = 0; r < lens.length; r++) lens[r] = u.keys()[r].length;
        AttentionOptions.Builder o = AttentionOptions.builder().kernel(p.kernel()).scale(p.scale()).kvLengths(lens)
                .returnEnergy(energy);
        if (p.softcap() > 0) o.softcap(p.softcap());
        return o.build();
    }

    /** The options of the call whose neighbourhood is gathered, rebuilt from the problem. */
    static AttentionOptions callOptions(AttentionProblem p) {
        return AttentionOptions.builder().kernel(p.kernel()).scale(p.scale()).build();
    }

    /** The dense compute step of a host backend. */
    @FunctionalInterface
    public interface Dense {
        double compute(AttentionProblem p, Tensor out, Tensor energy);
    }

    /**
     * Computes {@code p} (which has a neighbourhood) bucket by bucket with {@code dense}, into
     * {@code out} (zeros on entry) and {@code energy} (when not null: -inf outside the visible pairs).
     */
    public static double forward(AttentionProblem p, Dense dense, Tensor out, Tensor energy) {
        if (energy != null) java.util.Arrays.fill(energy.array(), Float.NEGATIVE_INFINITY);
        List<Bucket> buckets = buckets(p);
        AttentionOptions call = callOptions(p);
        if (buckets.isEmpty()) {
            // Every row is empty, but the regulariser (of the parameters) is still the kernel's.
            Bucket none = new Bucket(1, new int[] {0}, new int[] {0}, new int[][] {{}});
            AttentionProblem sub = AttentionProblem.of(queries(p, none), gather(p, p.presentKey(), none),
                    gather(p, p.presentValue(), none), options(p, call, none, false));
            return dense.compute(sub, Tensor.zerosBhsd(1, p.qHeads(), 1, p.vDim()), null);
        }
        double reg = 0;
        for (int n = 0; n < buckets.size(); n++) {
            Bucket u = buckets.get(n);
            AttentionProblem sub = AttentionProblem.of(queries(p, u), gather(p, p.presentKey(), u),
                    gather(p, p.presentValue(), u), options(p, call, u, energy != null));
            Tensor subOut = Tensor.zerosBhsd(u.size(), p.qHeads(), 1, p.vDim());
            Tensor subEnergy = energy == null ? null : Tensor.zerosBhsd(u.size(), p.qHeads(), 1, u.width());
            double r = dense.compute(sub, subOut, subEnergy);
            if (n == 0) reg = r;
            scatterRows(p, u, subOut, out);
            if (energy != null) {
                for (int q = 0; q < u.size(); q++)
                    for (int h = 0; h < p.qHeads(); h++)
                        for (int e = 0; e < u.keys()[q].length; e++)
                            energy.set(u.batch()[q], h, u.query()[q], u.keys()[q][e], subEnergy.get(q, h, 0, e));
            }
        }
        return reg;
    }

    /** Writes a bucket's output rows ([n, q_heads, 1, v_dim]) to their queries in {@code out}. */
    public static void scatterRows(AttentionProblem p, Bucket u, Tensor sub, Tensor out) {
        for (int q = 0; q < u.size(); q++)
            for (int h = 0; h < p.qHeads(); h++)
                for (int c = 0; c < sub.dim(); c++) out.set(u.batch()[q], h, u.query()[q], c, sub.get(q, h, 0, c));
    }
}
