/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG of the test-set fit of one data set, one panel per model: for a time series, the series
 * against time with the model's predictions and the test rows marked; for housing (13 features),
 * predicted against actual on the test rows. Java2D only, headless.
 */
public final class FitPlot {
    private FitPlot() {}

    /** One panel: a model's predictions for every row and the split it was trained on. */
    public record Panel(String title, double[] prediction, boolean[] test, boolean[] train) {}

    static final int PANEL_W = 620, PANEL_H = 380;
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    public static void write(Path file, RegressionData data, List<Panel> panels) {
        System.setProperty("java.awt.headless", "true");
        int cols = Math.min(2, panels.size()), rows = (panels.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * PANEL_W, rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D pg = (Graphics2D) g.create((i % cols) * PANEL_W, (i / cols) * PANEL_H, PANEL_W, PANEL_H);
            Color c = COLORS[i % COLORS.length];
            if (data.features() == 1) series(pg, data, panels.get(i), c);
            else scatter(pg, data, panels.get(i), c);
            pg.dispose();
        }
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** Plot area inside a panel, with margins for the axes' labels. */
    private record Area(double x0, double y0, double w, double h, double xMin, double xMax, double yMin, double yMax) {
        double px(double x) { return x0 + (x - xMin) / (xMax - xMin) * w; }
        double py(double y) { return y0 + h - (y - yMin) / (yMax - yMin) * h; }
    }

    private static Area frame(Graphics2D g, String title, String xLabel, String yLabel, double xMin, double xMax, double yMin,
                              double yMax) {
        double padY = (yMax - yMin) * 0.05, padX = (xMax - xMin) * 0.02;
        Area a = new Area(62, 44, PANEL_W - 82, PANEL_H - 84, xMin - padX, xMax + padX, yMin - padY, yMax + padY);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 12, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(new Color(0x888888));
        g.draw(new java.awt.geom.Rectangle2D.Double(a.x0, a.y0, a.w, a.h));
        for (double xv : ticks(a.xMin, a.xMax)) {
            g.setColor(new Color(0xeeeeee));
            g.draw(new Line2D.Double(a.px(xv), a.y0, a.px(xv), a.y0 + a.h));
            g.setColor(Color.DARK_GRAY);
            g.drawString(tickLabel(xv), (float) a.px(xv) - 14, (float) (a.y0 + a.h + 15));
        }
        for (double yv : ticks(a.yMin, a.yMax)) {
            g.setColor(new Color(0xeeeeee));
            g.draw(new Line2D.Double(a.x0, a.py(yv), a.x0 + a.w, a.py(yv)));
            g.setColor(Color.DARK_GRAY);
            g.drawString(tickLabel(yv), 6, (float) a.py(yv) + 4);
        }
        g.drawString(xLabel, (float) (a.x0 + a.w / 2 - 30), PANEL_H - 8);
        g.setColor(Color.GRAY);
        g.drawString(yLabel, (float) a.x0 + 4, (float) a.y0 + 12);
        return a;
    }

    /**
     * Round tick values inside [lo, hi]: multiples of a step of 1, 2 or 5 times a power of ten,
     * chosen so that about five ticks fit.
     */
    static double[] ticks(double lo, double hi) {
        if (!(hi > lo)) return new double[] {lo};
        double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
        double step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
        long first = (long) Math.ceil(lo / step - 1e-9), last = (long) Math.floor(hi / step + 1e-9);
        double[] t = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < t.length; i++) t[i] = (first + i) * step;
        return t;
    }

    /** A tick value without float noise: 0.30000000000000004 prints as 0.3, -0.0 as 0. */
    static String tickLabel(double v) {
        if (Math.abs(v) < 1e-12) return "0";
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void series(Graphics2D g, RegressionData d, Panel p, Color c) {
        Integer[] order = new Integer[d.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(d.rawX()[a], d.rawX()[b]));
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < d.rows(); i++) {
            yMin = Math.min(yMin, Math.min(d.y()[i], p.prediction()[i]));
            yMax = Math.max(yMax, Math.max(d.y()[i], p.prediction()[i]));
        }
        Area a = frame(g, p.title(), d.columns().get(0), d.columns().get(d.columns().size() - 1) + " (scaled to [-1, 1])",
                d.rawX()[order[0]], d.rawX()[order[order.length - 1]], yMin, yMax);
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(new Color(0xaaaaaa));
        g.draw(path(a, d.rawX(), d.y(), order));
        g.setColor(c);
        g.draw(path(a, d.rawX(), p.prediction(), order));
        for (int i = 0; i < d.rows(); i++) {
            if (!p.test()[i]) continue;
            double x = a.px(d.rawX()[i]);
            g.setColor(Color.BLACK);
            g.draw(new Ellipse2D.Double(x - 3.5, a.py(d.y()[i]) - 3.5, 7, 7));
            g.setColor(c);
            g.fill(new Ellipse2D.Double(x - 2.5, a.py(p.prediction()[i]) - 2.5, 5, 5));
        }
        legend(g, c, "grey line: data   coloured line: model   o: test rows (black: actual, coloured: predicted)");
    }

    private static Path2D path(Area a, double[] x, double[] y, Integer[] order) {
        Path2D.Double path = new Path2D.Double();
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (k == 0) path.moveTo(a.px(x[i]), a.py(y[i]));
            else path.lineTo(a.px(x[i]), a.py(y[i]));
        }
        return path;
    }

    private static void scatter(Graphics2D g, RegressionData d, Panel p, Color c) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < d.rows(); i++) {
            if (!p.test()[i]) continue;
            lo = Math.min(lo, Math.min(d.y()[i], p.prediction()[i]));
            hi = Math.max(hi, Math.max(d.y()[i], p.prediction()[i]));
        }
        Area a = frame(g, p.title(), "actual (scaled)", "predicted (scaled)", lo, hi, lo, hi);
        g.setColor(new Color(0xaaaaaa));
        g.draw(new Line2D.Double(a.px(lo), a.py(lo), a.px(hi), a.py(hi)));
        g.setColor(c);
        for (int i = 0; i < d.rows(); i++) {
            if (!p.test()[i]) continue;
            g.fill(new Ellipse2D.Double(a.px(d.y()[i]) - 3, a.py(p.prediction()[i]) - 3, 6, 6));
        }
        legend(g, c, "test rows; the grey diagonal is a perfect fit");
    }

    private static void legend(Graphics2D g, Color c, String text) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, 12, 31);
    }
}
