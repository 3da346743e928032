/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.report;

import dev.ika4j.bench.jmh.Labels;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * PNG charts of GFLOP/s against sequence length (log scale), one line per backend and peer with
 * min-max bars, one panel per (causal, threads), one chart per (batch, heads, head dim) family with
 * at least two lengths. Drawn with java.awt in headless mode; if the JDK finds no fonts the chart
 * is still drawn, without its text.
 */
public final class GflopsChart {
    private static final int PANEL_W = 620, PANEL_H = 400, HEADER = 70, LEGEND = 60, PAD_L = 70, PAD_R = 34,
            PAD_T = 34, PAD_B = 46;
    private static final Map<String, Color> COLORS = Map.of(
            "simd", new Color(0x1f77b4), "cuda", new Color(0x2ca02c), "reference", new Color(0x7f7f7f),
            "onnxruntime", new Color(0xff7f0e), "onnxruntime-mha", new Color(0xd62728),
            "openblas-sgemm", new Color(0x9467bd), "scalar-java", new Color(0x8c564b));
    private static final Color[] SPARE = {new Color(0x17becf), new Color(0xbcbd22), new Color(0xe377c2)};

    private boolean textWorks = true;

    private GflopsChart() {}

    /**
     * Writes one PNG per family into {@code dir} as {@code prefix-gflops-b1-h8-d64.png} and returns
     * the file names written.
     */
    public static List<String> write(List<Measurement> all, Path dir, String prefix, String subtitle) throws IOException {
        Map<String, List<Measurement>> families = all.stream().filter(m -> m.kernel().equals("standard") && m.shape().selfAttention()
                        && !m.implementation().equals(dev.ika4j.bench.jmh.BenchProfile.STREAM))
                .collect(Collectors.groupingBy(m -> "b" + m.shape().batch() + "-h" + m.shape().heads() + "-d" + m.shape().dim(),
                        TreeMap::new, Collectors.toList()));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, List<Measurement>> f : families.entrySet()) {
            long lengths = f.getValue().stream().mapToInt(m -> m.shape().seq()).distinct().count();
            if (lengths < 2) continue;
            String name = prefix + "-gflops-" + f.getKey() + ".png";
            ImageIO.write(new GflopsChart().draw(f.getValue(), subtitle), "png", dir.resolve(name).toFile());
            names.add(name);
        }
        return names;
    }

    private record Panel(boolean causal, int threads) {}

    private BufferedImage draw(List<Measurement> family, String subtitle) {
        List<Panel> panels = family.stream().map(m -> new Panel(m.causal(), m.threads())).distinct()
                .sorted(Comparator.comparing(Panel::causal).thenComparing(Panel::threads, Comparator.reverseOrder())).toList();
        int cols = Math.min(2, panels.size()), rowsN = (panels.size() + cols - 1) / cols;
        int width = cols * PANEL_W, height = HEADER + rowsN * PANEL_H + LEGEND;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        Measurement any = family.get(0);
        List<String> impls = family.stream().map(Measurement::implementation).distinct()
                .sorted(Comparator.comparing(Labels::isPeer).thenComparing(Comparator.naturalOrder())).toList();
        g.setColor(Color.BLACK);
        text(g, String.format(Locale.ROOT, "Attention GFLOP/s vs sequence length: batch %d, %d heads, head dim %d",
                any.shape().batch(), any.shape().heads(), any.shape().dim()), 16, 28, 18, true);
        g.setColor(Color.DARK_GRAY);
        text(g, subtitle, 16, 52, 12, false);

        double yMax = niceCeiling(family.stream().mapToDouble(m -> m.gflops().max()).max().orElse(1) * 1.08);
        TreeSet<Integer> seqs = family.stream().map(m -> m.shape().seq()).collect(Collectors.toCollection(TreeSet::new));
        for (int i = 0; i < panels.size(); i++) {
            int x0 = (i % cols) * PANEL_W, y0 = HEADER + (i / cols) * PANEL_H;
            Panel p = panels.get(i);
            List<Measurement> in = family.stream().filter(m -> m.causal() == p.causal() && m.threads() == p.threads()).toList();
            panel(g, x0, y0, p, in, impls, seqs, yMax);
        }
        legend(g, impls, 16, HEADER + rowsN * PANEL_H + 30, width);
        g.dispose();
        return img;
    }

    private void panel(Graphics2D g, int x0, int y0, Panel p, List<Measurement> in, List<String> impls,
                       TreeSet<Integer> seqs, double yMax) {
        int left = x0 + PAD_L, right = x0 + PANEL_W - PAD_R, top = y0 + PAD_T, bottom = y0 + PANEL_H - PAD_B;
        g.setColor(Color.BLACK);
        text(g, (p.causal() ? "causal" : "non-causal") + ", " + p.threads() + (p.threads() == 1 ? " thread" : " threads"),
                left, y0 + 22, 14, true);
        double lo = Math.log(seqs.first()), hi = Math.log(seqs.last());
        java.util.function.IntToDoubleFunction xOf = s -> left + (hi == lo ? 0.5 : (Math.log(s) - lo) / (hi - lo)) * (right - left);
        java.util.function.DoubleUnaryOperator yOf = v -> bottom - v / yMax * (bottom - top);

        g.setStroke(new BasicStroke(1f));
        for (int t = 0; t <= 5; t++) {
            double v = yMax * t / 5;
            int y = (int) Math.round(yOf.applyAsDouble(v));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            text(g, yMax >= 10 ? String.format(Locale.ROOT, "%.0f", v) : MarkdownReport.fmt(v), x0 + 8, y + 4, 11, false);
        }
        for (int s : seqs) {
            int x = (int) Math.round(xOf.applyAsDouble(s));
            g.setColor(new Color(0xf0f0f0));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            text(g, Integer.toString(s), x - 14, bottom + 16, 11, false);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        text(g, "sequence length (log scale)", (left + right) / 2 - 70, bottom + 34, 11, false);
        text(g, "GFLOP/s", x0 + 8, top - 8, 11, false);

        for (int i = 0; i < impls.size(); i++) {
            String impl = impls.get(i);
            List<Measurement> pts = in.stream().filter(m -> m.implementation().equals(impl))
                    .sorted(Comparator.comparingInt(m -> m.shape().seq())).toList();
            if (pts.isEmpty()) continue;
            g.setColor(color(impl, i));
            g.setStroke(stroke(impl));
            int px = -1, py = -1;
            for (Measurement m : pts) {
                Measurement.Spread s = m.gflops();
                int x = (int) Math.round(xOf.applyAsDouble(m.shape().seq())), y = (int) Math.round(yOf.applyAsDouble(s.median()));
                if (px >= 0) g.drawLine(px, py, x, y);
                g.setStroke(new BasicStroke(1.2f));
                g.drawLine(x, (int) yOf.applyAsDouble(s.min()), x, (int) yOf.applyAsDouble(s.max()));
                g.fillOval(x - 4, y - 4, 8, 8);
                g.setStroke(stroke(impl));
                px = x;
                py = y;
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private void legend(Graphics2D g, List<String> impls, int x, int y, int width) {
        int step = Math.max(140, (width - 2 * x) / Math.max(1, impls.size()));
        for (int i = 0; i < impls.size(); i++) {
            int lx = x + i * step;
            g.setColor(color(impls.get(i), i));
            g.setStroke(stroke(impls.get(i)));
            g.drawLine(lx, y - 4, lx + 28, y - 4);
            g.fillOval(lx + 10, y - 8, 8, 8);
            g.setColor(Color.BLACK);
            text(g, impls.get(i), lx + 34, y, 12, false);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static Color color(String impl, int i) {
        return COLORS.getOrDefault(impl, SPARE[i % SPARE.length]);
    }

    /** Our backends solid and thick; peers thinner, the GEMM ceiling dashed. */
    private static Stroke stroke(String impl) {
        if (impl.equals("openblas-sgemm")) {
            return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 5f}, 0f);
        }
        return new BasicStroke(Labels.isPeer(impl) ? 2f : 3f);
    }

    /** 1, 2 or 5 times a power of ten, at or above v. */
    static double niceCeiling(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    /** Draws text unless this JDK cannot render fonts here (no fontconfig), in which case it stops trying. */
    private void text(Graphics2D g, String s, int x, int y, int size, boolean bold) {
        if (!textWorks) return;
        try {
            g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
            g.drawString(s, x, y);
        } catch (Throwable t) { // fontconfig missing raises Errors, not Exceptions
            textWorks = false;
        }
    }
}
