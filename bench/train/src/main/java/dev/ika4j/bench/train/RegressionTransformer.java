/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The authors' regression model ({@code baseTransformer} with one layer): every row of a data set
 * is one position of a single sequence; y = fc_out(Encoder(fc_in(x))).
 */
public final class RegressionTransformer {
    public final int inputs, width;
    private final Linear fcIn, fcOut;
    private final EncoderLayer encoder;
    private final boolean trainingDiffers;

    /**
     * @param opFactory makes the attention operator for the kernel (float64 for gradient checks, a
     *                  backend for speed)
     */
    public RegressionTransformer(int inputs, int width, int heads, KernelSpec kernel,
                                 Function<KernelSpec, AttentionOp> opFactory, SplittableRandom rng) {
        this.inputs = inputs;
        this.width = width;
        this.trainingDiffers = kernel.trainingDiffers();
        fcIn = new Linear("fc_in", inputs, width, rng);
        MultiHeadAttention mha = new MultiHeadAttention("self_attention", width, heads, kernel, opFactory.apply(kernel), rng);
        FeedForward ff = new FeedForward("positionwise_feedforward", width, width, rng);
        encoder = new EncoderLayer(mha, ff, new LayerNorm("self_attn_layer_norm", width), new LayerNorm("ff_layer_norm", width));
        fcOut = new Linear("fc_out", width, 1, rng);
    }

    /** Whether a training forward computes another function than an evaluation one (dropout). */
    public boolean trainingDiffers() {
        return trainingDiffers;
    }

    /** Predictions, one per row of {@code x} [rows][inputs]. */
    public double[] forward(double[] x, int rows, boolean training) {
        encoder.attention.training(training);
        return fcOut.forward(encoder.forward(fcIn.forward(x, rows), rows), rows);
    }

    /** The attention kernel's regulariser of the last forward. */
    public double regularizer() {
        return encoder.attention.regularizer();
    }

    /** Backward of {@code <dPrediction, prediction> + regularizerWeight * regularizer}. */
    public void backward(double[] dPrediction, double regularizerWeight) {
        encoder.attention.regularizerWeight(regularizerWeight);
        fcIn.backward(encoder.backward(fcOut.backward(dPrediction)));
    }

    public List<Param> parameters() {
        List<Param> p = new ArrayList<>(fcIn.parameters());
        p.addAll(encoder.parameters());
        p.addAll(fcOut.parameters());
        return p;
    }
}
