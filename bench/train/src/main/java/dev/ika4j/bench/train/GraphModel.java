/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * GAT's two-layer node classifier (Velickovic et al. 2018): dropout, attention layer with several
 * heads concatenated, ELU, dropout, attention layer to the classes with its heads averaged; the
 * logits [nodes][classes]. Which kernel scores the neighbours is up to the layers.
 */
public final class GraphModel {
    private final Dropout inputDropout, hiddenDropout;
    private final GraphAttentionLayer hidden, output;
    private final Elu elu = new Elu();

    public GraphModel(Dropout inputDropout, GraphAttentionLayer hidden, Dropout hiddenDropout, GraphAttentionLayer output) {
        this.inputDropout = inputDropout;
        this.hidden = hidden;
        this.hiddenDropout = hiddenDropout;
        this.output = output;
    }

    /** Logits of every node; {@code training} turns dropout (and any training-only kernel behaviour) on. */
    public double[] forward(double[] x, int nodes, boolean training) {
        inputDropout.training(training);
        hiddenDropout.training(training);
        hidden.training(training);
        output.training(training);
        double[] h = elu.forward(hidden.forward(inputDropout.forward(x, nodes), nodes), nodes);
        return output.forward(hiddenDropout.forward(h, nodes), nodes);
    }

    /** Backward of {@code <dLogits, logits>} of the last forward. */
    public void backward(double[] dLogits) {
        inputDropout.backward(hidden.backward(elu.backward(hiddenDropout.backward(output.backward(dLogits)))));
    }

    public List<Param> parameters() {
        List<Param> p = new ArrayList<>(hidden.parameters());
        p.addAll(output.parameters());
        return p;
    }
}
