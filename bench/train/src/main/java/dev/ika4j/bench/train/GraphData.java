/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.Neighbourhood;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A node-classification data set: an undirected graph, node features [nodes][features] and one
 * class per node.
 *
 * @param name     for logs and reports
 * @param nodes    number of nodes
 * @param features feature columns per node
 * @param x        features, row-major [nodes][features]
 * @param labels   class of each node, 0 .. classes - 1
 * @param classes  number of classes
 * @param adjacent each node's neighbours, sorted, without the node itself
 */
public record GraphData(String name, int nodes, int features, double[] x, int[] labels, int classes, int[][] adjacent) {
    public static final List<String> NAMES = List.of("karate", "planted");

    public GraphData {
        if (x.length != nodes * features || labels.length != nodes || adjacent.length != nodes) {
            throw new IllegalArgumentException(name + ": x has " + x.length + " values, labels " + labels.length + ", adjacency "
                    + adjacent.length + " rows, for " + nodes + " nodes x " + features + " features");
        }
    }

    /** Undirected edges (each counted once). */
    public int edges() {
        int twice = 0;
        for (int[] a : adjacent) twice += a.length;
        return twice / 2;
    }

    /**
     * The CSR neighbourhood GAT attends over: each node sees its neighbours and itself (the
     * self-loop GAT adds), keys in increasing order.
     */
    public Neighbourhood neighbourhood() {
        int[] indptr = new int[nodes + 1];
        for (int i = 0; i < nodes; i++) indptr[i + 1] = indptr[i] + adjacent[i].length + 1;
        int[] indices = new int[indptr[nodes]];
        for (int i = 0; i < nodes; i++) {
            int o = indptr[i];
            boolean self = false;
            for (int j : adjacent[i]) {
                if (!self && j > i) {
                    indices[o++] = i;
                    self = true;
                }
                indices[o++] = j;
            }
            if (!self) indices[o] = i;
        }
        return Neighbourhood.csr(indptr, indices);
    }

    /** The reproduction's planted-partition graph: nodes, communities, features, p_in, p_out, signal, seed. */
    public static final int PLANTED_NODES = 600, PLANTED_CLASSES = 4, PLANTED_FEATURES = 32;
    public static final double PLANTED_P_IN = 0.02, PLANTED_P_OUT = 0.006, PLANTED_SIGNAL = 0.3;
    public static final long PLANTED_SEED = 7;

    /** Loads a data set by name: "karate" from the class path, "planted" generated. */
    public static GraphData load(String name) {
        return switch (name) {
            case "karate" -> karate();
            case "planted" -> planted(PLANTED_NODES, PLANTED_CLASSES, PLANTED_FEATURES, PLANTED_P_IN, PLANTED_P_OUT, PLANTED_SIGNAL,
                    PLANTED_SEED);
            default -> throw new IllegalArgumentException("unknown graph data set '" + name + "'; known: " + NAMES);
        };
    }

    /**
     * Zachary's karate club (Zachary 1977, as networkx ships it; see data/graph/README.md): 34
     * members, 78 friendships, the club each member joined after the split as the label. It has no
     * node features; each node gets a one-hot identity feature, as GCN papers do for this graph.
     */
    public static GraphData karate() {
        List<int[]> nodes = csv("/data/graph/karate-nodes.csv", 2);
        List<int[]> edges = csv("/data/graph/karate-edges.csv", 2);
        int n = nodes.size();
        int[] labels = new int[n];
        for (int[] r : nodes) {
            if (r[0] < 0 || r[0] >= n) throw new IllegalStateException("karate-nodes.csv: node " + r[0] + " outside 0.." + (n - 1));
            labels[r[0]] = r[1];
        }
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++) x[i * n + i] = 1;
        return new GraphData("karate", n, n, x, labels, Arrays.stream(labels).max().orElse(0) + 1, adjacency(n, edges));
    }

    /**
     * A planted-partition graph (stochastic block model): {@code classes} equal communities, each
     * pair of nodes joined with probability {@code pIn} inside a community and {@code pOut} across;
     * features = signal * (the community's random mean, N(0, 1) per column) + N(0, 1) noise, so the
     * features alone separate the classes only partly and the neighbours carry the rest.
     */
    public static GraphData planted(int n, int classes, int features, double pIn, double pOut, double signal, long seed) {
        if (n < classes || classes < 2) throw new IllegalArgumentException("planted: need n >= classes >= 2, got n " + n + ", classes " + classes);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % classes;
        double[] means = new double[classes * features];
        for (int i = 0; i < means.length; i++) means[i] = rng.nextGaussian();
        double[] x = new double[n * features];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < features; f++) x[i * features + f] = signal * means[labels[i] * features + f] + rng.nextGaussian();
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (rng.nextDouble() < (labels[i] == labels[j] ? pIn : pOut)) edges.add(new int[] {i, j});
        return new GraphData("planted", n, features, x, labels, classes, adjacency(n, edges));
    }

    static int[][] adjacency(int n, List<int[]> edges) {
        List<TreeSet<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) adj.add(new TreeSet<>());
        for (int[] e : edges) {
            if (e[0] < 0 || e[0] >= n || e[1] < 0 || e[1] >= n || e[0] == e[1]) {
                throw new IllegalArgumentException("edge " + e[0] + "-" + e[1] + " is a self-loop or leaves the " + n + " nodes");
            }
            adj.get(e[0]).add(e[1]);
            adj.get(e[1]).add(e[0]);
        }
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) out[i] = adj.get(i).stream().mapToInt(Integer::intValue).toArray();
        return out;
    }

    /** Integer CSV rows with a header line and {@code columns} columns. */
    static List<int[]> csv(String resource, int columns) {
        try (InputStream in = GraphData.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("data file " + resource + " is missing from the class path");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine();
            List<int[]> rows = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (f.length != columns) throw new IllegalStateException(resource + ": row '" + line + "' has " + f.length + " fields, not " + columns);
                int[] row = new int[columns];
                for (int c = 0; c < columns; c++) row[c] = Integer.parseInt(f[c].trim());
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
