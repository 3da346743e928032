/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Arrays;

/**
 * Which keys each query may see: query i of batch b attends only to the keys this lists for it, on
 * top of causal and the valid lengths (a key must pass all of them). A query with no visible key
 * gets an output row of zeros, as a fully masked row does. Immutable; the arrays are copied.
 *
 * <ul>
 *   <li>{@link #csr}: compressed sparse rows, shared by every batch entry and head: the keys of
 *       query i are {@code indices[indptr[i] .. indptr[i+1])}, positions in the present keys
 *       (past, then new). int32 or int64 arrays; no key twice in one row (a graph's edge list
 *       deduplicated), in any order. {@link #csrPerBatch} gives one such pair per batch entry.
 *   <li>{@link #banded}: a sliding window; query i (absolute position past + i) sees keys
 *       j with position - left &lt;= j &lt;= position + right. Combined with causal, right is
 *       effectively 0.
 * </ul>
 *
 * Backends compute attention over a neighbourhood in time proportional to the number of visible
 * (query, key) pairs times the head dim, never forming a [q_seq, kv_seq] matrix (the float64
 * reference excepted, which applies it as a mask).
 */
public final class Neighbourhood {
    private final int[][] indptr, indices; // one per batch entry, or a single shared one
    private final int left, right;        // banded only; -1 for CSR
    private final boolean banded;

    private Neighbourhood(int[][] indptr, int[][] indices, int left, int right, boolean banded) {
        this.indptr = indptr;
        this.indices = indices;
        this.left = left;
        this.right = right;
        this.banded = banded;
    }

    /** A CSR neighbourhood shared by every batch entry and head (int32). */
    public static Neighbourhood csr(int[] indptr, int[] indices) {
        return csrPerBatch(new int[][] {indptr}, new int[][] {indices});
    }

    /** A CSR neighbourhood shared by every batch entry and head (int64, each entry must fit int32). */
    public static Neighbourhood csr(long[] indptr, long[] indices) {
        return csr(narrow("indptr", indptr), narrow("indices", indices));
    }

    /** One CSR neighbourhood per batch entry: {@code indptr[b]}, {@code indices[b]}. */
    public static Neighbourhood csrPerBatch(int[][] indptr, int[][] indices) {
        if (indptr == null || indices == null) throw new NullPointerException(indptr == null ? "indptr" : "indices");
        if (indptr.length == 0 || indptr.length != indices.length) {
            throw new IllegalArgumentException("neighbourhood: indptr has " + indptr.length + " rows and indices "
                    + indices.length + "; both need one per batch entry (or one shared), at least one");
        }
        int[][] p = new int[indptr.length][], x = new int[indices.length][];
        for (int b = 0; b < indptr.length; b++) {
            String at = indptr.length == 1 ? "" : "[" + b + "]";
            if (indptr[b] == null || indices[b] == null) throw new NullPointerException((indptr[b] == null ? "indptr" : "indices") + at);
            p[b] = indptr[b].clone();
            x[b] = indices[b].clone();
            checkRow(p[b], x[b], at);
        }
        return new Neighbourhood(p, x, -1, -1, false);
    }

    /**
     * A sliding window of {@code left} keys before and {@code right} keys after each query's own
     * position (both >= 0; 0 and 0 is the query's own key alone).
     */
    public static Neighbourhood banded(int left, int right) {
        if (left < 0 || right < 0) {
            throw new IllegalArgumentException("banded neighbourhood: left and right must be >= 0, got left=" + left + ", right=" + right);
        }
        return new Neighbourhood(null, null, left, right, true);
    }

    private static void checkRow(int[] indptr, int[] indices, String at) {
        if (indptr.length == 0) throw new IllegalArgumentException("neighbourhood: indptr" + at + " is empty; it needs q_seq + 1 offsets");
        if (indptr[0] != 0) throw new IllegalArgumentException("neighbourhood: indptr" + at + "[0] = " + indptr[0] + ", must be 0");
        for (int i = 1; i < indptr.length; i++) {
            if (indptr[i] < indptr[i - 1]) {
                throw new IllegalArgumentException("neighbourhood: indptr" + at + " is not monotone: indptr[" + (i - 1) + "] = "
                        + indptr[i - 1] + " > indptr[" + i + "] = " + indptr[i]);
            }
        }
        if (indptr[indptr.length - 1] != indices.length) {
            throw new IllegalArgumentException("neighbourhood: indptr" + at + " ends at " + indptr[indptr.length - 1]
                    + " but indices" + at + " has " + indices.length + " entries");
        }
    }

    private static int[] narrow(String what, long[] a) {
        if (a == null) throw new NullPointerException(what);
        int[] r = new int[a.length];
        for (int n = 0; n < a.length; n++) {
            if (a[n] < Integer.MIN_VALUE || a[n] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("neighbourhood: " + what + "[" + n + "] = " + a[n] + " does not fit int32");
            }
            r[n] = (int) a[n];
        }
        return r;
    }

    public boolean isBanded() { return banded; }
    /** Keys before the query's position a banded neighbourhood sees (-1 for CSR). */
    public int left() { return left; }
    /** Keys after the query's position a banded neighbourhood sees (-1 for CSR). */
    public int right() { return right; }
    /** Whether a CSR neighbourhood has one pair of arrays per batch entry. */
    public boolean perBatch() { return !banded && indptr.length > 1; }

    /**
     * Checks the neighbourhood against a call: a CSR one needs q_seq + 1 offsets (per batch entry
     * when per batch, and then batch entries), every index in [0, total_kv), no index twice in a row.
     */
    public void check(int batch, int qSeq, int totalKv, String qShape) {
        if (banded) return;
        if (indptr.length != 1 && indptr.length != batch) {
            throw new IllegalArgumentException("neighbourhood: " + indptr.length + " CSR pairs but Q " + qShape + " has batch "
                    + batch + " (give one shared pair or one per batch entry)");
        }
        int[] seen = new int[totalKv];
        Arrays.fill(seen, -1);
        for (int b = 0; b < indptr.length; b++) {
            String at = indptr.length == 1 ? "" : "[" + b + "]";
            if (indptr[b].length != qSeq + 1) {
                throw new IllegalArgumentException("neighbourhood: indptr" + at + " has " + indptr[b].length
                        + " offsets but Q " + qShape + " has q_seq " + qSeq + " (need q_seq + 1 = " + (qSeq + 1) + ")");
            }
            for (int i = 0; i < qSeq; i++) {
                for (int e = indptr[b][i]; e < indptr[b][i + 1]; e++) {
                    int j = indices[b][e];
                    if (j < 0 || j >= totalKv) {
                        throw new IllegalArgumentException("neighbourhood: indices" + at + "[" + e + "] = " + j + " (query " + i
                                + ") is outside [0, " + totalKv + ") (total kv_seq, past included; Q " + qShape + ")");
                    }
                    int stamp = b * (qSeq + 1) + i;
                    if (seen[j] == stamp) {
                        throw new IllegalArgumentException("neighbourhood: indices" + at + " lists key " + j + " twice for query " + i);
                    }
                    seen[j] = stamp;
                }
            }
        }
    }

    /** Number of candidate keys of query i of batch b (before causal and valid lengths; banded: clipped to [0, totalKv)). */
    public int degree(int b, int i, int pastSeq, int totalKv) {
        if (banded) {
            long pos = (long) pastSeq + i;
            long lo = Math.max(0, pos - left), hi = Math.min(totalKv - 1L, pos + right);
            return (int) Math.max(0, hi - lo + 1);
        }
        int[] p = indptr[indptr.length == 1 ? 0 : b];
        return p[i + 1] - p[i];
    }

    /** The n-th candidate key of query i of batch b (n &lt; {@link #degree}). */
    public int key(int b, int i, int n, int pastSeq) {
        if (banded) return (int) Math.max(0, (long) pastSeq + i - left) + n;
        int s = indptr.length == 1 ? 0 : b;
        return indices[s][indptr[s][i] + n];
    }

    /** Whether key j is a candidate of query i of batch b (banded: O(1); CSR: O(degree)). */
    public boolean contains(int b, int i, int j, int pastSeq) {
        if (banded) {
            long pos = (long) pastSeq + i;
            return j >= pos - left && j <= pos + right;
        }
        int s = indptr.length == 1 ? 0 : b;
        for (int e = indptr[s][i]; e < indptr[s][i + 1]; e++) if (indices[s][e] == j) return true;
        return false;
    }

    @Override
    public String toString() {
        if (banded) return "banded(left=" + left + ", right=" + right + ")";
        int edges = 0;
        for (int[] x : indices) edges += x.length;
        return "csr(" + (indptr.length == 1 ? "shared" : indptr.length + " batch entries") + ", " + edges + " edges)";
    }
}
