/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * The oracle of the scores output: each {@link ScoreStage} of standard attention written from the
 * ONNX operator's definition, in float64, one query row at a time, with the masking and the softmax
 * of the reference's one pipeline ({@link ReferenceBackward#mask}, {@link ReferenceBackward#softmax}),
 * so stage AFTER_MASK is its energy, and AFTER_SOFTMAX the weights its output uses.
 */
final class ReferenceScores {
    private ReferenceScores() {}

    static void compute(AttentionProblem p, Tensor scores) {
        ScoreStage stage = p.scoresOutput();
        double[] row = new double[p.kvSeq()];
        double[] masked = new double[p.kvSeq()];
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.qHeads(); h++) {
                int kh = p.kvHead(h);
                for (int i = 0; i < p.qSeq(); i++) {
                    for (int j = 0; j < p.kvSeq(); j++) {
                        double dot = 0;
                        for (int c = 0; c < p.dim(); c++) dot += (double) p.q().get(b, h, i, c) * p.presentKey().get(b, kh, j, c);
                        double s = p.scale() * dot;                                    // SCALED_QK
                        if (stage != ScoreStage.SCALED_QK && p.softcap() > 0) {
                            s = p.softcap() * Math.tanh(s / p.softcap());                // AFTER_SOFTCAP
                        }
                        row[j] = s;
                    }
                    if (stage == ScoreStage.AFTER_MASK || stage == ScoreStage.AFTER_SOFTMAX) {
                        ReferenceBackward.mask(p, b, h, i, row, masked);
                        if (stage == ScoreStage.AFTER_SOFTMAX) ReferenceBackward.softmax(masked, row);
                        else System.arraycopy(masked, 0, row, 0, p.kvSeq());
                    }
                    for (int j = 0; j < p.kvSeq(); j++) scores.set(b, h, i, j, (float) row[j]);
                }
            }
        }
    }
}
