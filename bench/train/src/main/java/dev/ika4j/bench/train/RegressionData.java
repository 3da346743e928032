/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the regression data sets shipped in {@code /data/regression/} (see its README): every
 * column but the last is a feature, the last is the target. Features and target are scaled to
 * [-1, 1] by their min and max, as the authors' {@code load_data} does for housing; we do the same
 * for airline and co2, whose preprocessed copies from the authors' source are not available.
 *
 * @param x        features, [rows][features] flat
 * @param y        scaled target, one per row
 * @param rawX     the first feature in its own units (the time of the series), one per row
 * @param rawY     the target in its own units
 * @param columns  the CSV header, target last
 */
public record RegressionData(String name, double[] x, double[] y, double[] rawX, double[] rawY, int rows, int features,
                             List<String> columns) {
    public static final List<String> NAMES = List.of("airline", "co2", "housing");

    /** Loads a data set by name from the class path. */
    public static RegressionData load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + NAMES);
        }
        String resource = "/data/regression/" + name + ".csv";
        try (InputStream in = RegressionData.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("data file " + resource + " is missing from the class path");
            return parse(name, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    static RegressionData parse(String name, BufferedReader r) throws IOException {
        String header = r.readLine();
        if (header == null) throw new IllegalArgumentException(name + ": empty file");
        List<String> columns = new ArrayList<>();
        for (String c : header.split(",")) columns.add(c.replace("\"", "").trim());
        int cols = columns.size();
        if (cols < 2) throw new IllegalArgumentException(name + ": needs at least one feature and a target, header " + header);
        List<double[]> rows = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f.length != cols) {
                throw new IllegalArgumentException(name + ": row " + (rows.size() + 1) + " has " + f.length + " fields, header has " + cols);
            }
            double[] v = new double[cols];
            for (int c = 0; c < cols; c++) v[c] = Double.parseDouble(f[c].replace("\"", "").trim());
            rows.add(v);
        }
        int n = rows.size(), features = cols - 1;
        double[] x = new double[n * features], y = new double[n], raw = new double[n], rawX = new double[n];
        for (int i = 0; i < n; i++) rawX[i] = rows.get(i)[0];
        for (int c = 0; c < cols; c++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] row : rows) {
                min = Math.min(min, row[c]);
                max = Math.max(max, row[c]);
            }
            double range = max - min;
            for (int i = 0; i < n; i++) {
                double v = rows.get(i)[c];
                double s = range == 0 ? 0 : (v - min) / range * 2 - 1;
                if (c < features) x[i * features + c] = s;
                else {
                    y[i] = s;
                    raw[i] = v;
                }
            }
        }
        return new RegressionData(name, x, y, rawX, raw, n, features, List.copyOf(columns));
    }
}
