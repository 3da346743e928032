/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.GatKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Node classification with GAT's model and protocol, the attention score swapped: GAT's own
 * (GATConv), its kernel form, dot product, the paper's RBF kernel times an L^p importance, and
 * IKA-direct, all over the same neighbourhoods (each node and its neighbours); and the same model
 * with each node seeing only itself (no edges: a two-layer MLP), to show what the graph adds.
 * Trained full-batch with Adam and cross-entropy on the labelled training nodes.
 */
public final class GraphExperiment {
    private GraphExperiment() {}

    /** GAT's Cora setting: 8 heads of 8 in the hidden layer, one output head. */
    public static final int HIDDEN_HEADS = 8, HIDDEN_DIM = 8, OUTPUT_HEADS = 1;
    /** Spectral samples of IKA-direct. */
    public static final int SAMPLES = 32;
    /** Importance order of the rbf-importance variant (p = 2 would be the dot product). */
    public static final double RBF_P = 3.0;
    public static final long FIRST_SEED = 1000;

    public enum Variant {
        GAT("GAT (GATConv score)", "gat"),
        GAT_KERNEL("GAT, kernel form", "gat-kernel"),
        STANDARD("dot product", "standard"),
        RBF_IMPORTANCE("RBF x L^3 importance", "rbf-importance"),
        IKA_DIRECT("IKA-direct", "ika-direct"),
        NO_EDGES("no edges (MLP)", "no-edges");

        public final String label, id;

        Variant(String label, String id) {
            this.label = label;
            this.id = id;
        }

        public static Variant parse(String s) {
            for (Variant v : values()) if (v.id.equalsIgnoreCase(s)) return v;
            throw new IllegalArgumentException("unknown variant '" + s + "'; known: "
                    + java.util.Arrays.stream(values()).map(v -> v.id).toList());
        }
    }

    /**
     * Hyper-parameters: GAT's for Cora by default (lr 0.005, weight decay 5e-4, dropout 0.6 on both
     * layers' inputs); labelled training and validation nodes per class.
     */
    public record Config(int epochs, double learningRate, double weightDecay, double dropout, int trainPerClass,
                         int validationPerClass) {
        public Config {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }

        public static Config defaults(GraphData data, int epochs) {
            return data.name().equals("karate") ? new Config(epochs, 0.005, 5e-4, 0.6, 3, 3)
                    : new Config(epochs, 0.005, 5e-4, 0.6, 20, 25);
        }

        public Config withDropout(double d) {
            return new Config(epochs, learningRate, weightDecay, d, trainPerClass, validationPerClass);
        }
    }

    /** One run: a data set, a model, a seed (the split and the initial weights). */
    public record Job(String dataset, Variant variant, long seed) {
        @Override
        public String toString() {
            return dataset + " " + variant.label + " seed " + seed;
        }
    }

    /**
     * What one run saw, per epoch after its step (evaluation forward, dropout off).
     *
     * @param selectedEpoch the epoch of highest validation accuracy (lowest validation loss among
     *                      ties, then the first), 0-based
     */
    public record History(double[] trainLoss, double[] validationLoss, double[] validationAccuracy, double[] testAccuracy,
                          int selectedEpoch, double seconds, double cpuSeconds) {
        public double selectedTestAccuracy() {
            return testAccuracy[selectedEpoch];
        }

        public double selectedValidationAccuracy() {
            return validationAccuracy[selectedEpoch];
        }

        public double finalTestAccuracy() {
            return testAccuracy[testAccuracy.length - 1];
        }
    }

    /** The split of a seed: the same for every variant. */
    public static Split split(GraphData data, Config config, long seed) {
        return Split.perClass(data.labels(), data.classes(), config.trainPerClass(), config.validationPerClass(), seed);
    }

    /** The kernel of one layer of a variant. */
    static KernelSpec kernel(Variant v, int heads, int dim, SplittableRandom init) {
        return switch (v) {
            case GAT -> gat(heads, dim, GatKernel.Form.GATCONV, init);
            case GAT_KERNEL -> gat(heads, dim, GatKernel.Form.KERNEL, init);
            case STANDARD, NO_EDGES -> KernelSpec.standard();
            case RBF_IMPORTANCE -> fixed("rbf-importance", RbfImportanceKernel.lp(RBF_P));
            case IKA_DIRECT -> PaperKernelSpecs.direct(dim, heads, SAMPLES, IkaOptions.builder().preset(Preset.AUTHORS).build(), init);
        };
    }

    /** GAT's attention vectors a_src, a_dst [heads, dim], Glorot-uniform as PyTorch Geometric initialises them. */
    static KernelSpec gat(int heads, int dim, GatKernel.Form form, SplittableRandom init) {
        Param src = new Param("a_src", heads, dim), dst = new Param("a_dst", heads, dim);
        double bound = Math.sqrt(6.0 / (heads + dim));
        Init.uniform(src.value, bound, init);
        Init.uniform(dst.value, bound, init);
        return new KernelSpec() {
            @Override public String name() { return form == GatKernel.Form.GATCONV ? "gat" : "gat-kernel"; }
            @Override public List<Param> parameters() { return List.of(src, dst); }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) {
                return new GatKernel(PaperKernelSpecs.tensor(src), PaperKernelSpecs.tensor(dst), GatKernel.DEFAULT_NEGATIVE_SLOPE, form);
            }
        };
    }

    static KernelSpec fixed(String name, AttentionKernel kernel) {
        return new KernelSpec() {
            @Override public String name() { return name; }
            @Override public List<Param> parameters() { return List.of(); }
            @Override public AttentionKernel build(boolean training, SplittableRandom rng) { return kernel; }
        };
    }

    /** Each node sees itself only. */
    static Neighbourhood selfOnly(int nodes) {
        int[] indptr = new int[nodes + 1], indices = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            indptr[i + 1] = i + 1;
            indices[i] = i;
        }
        return Neighbourhood.csr(indptr, indices);
    }

    /** The model of a variant, its weights drawn from {@code init}. */
    public static GraphModel model(Variant v, GraphData data, Config config, AttentionTraining training, SplittableRandom init) {
        SplittableRandom noise = init.split();
        Neighbourhood n = v == Variant.NO_EDGES ? selfOnly(data.nodes()) : data.neighbourhood();
        KernelSpec k1 = kernel(v, HIDDEN_HEADS, HIDDEN_DIM, init), k2 = kernel(v, OUTPUT_HEADS, data.classes(), init);
        GraphAttentionLayer hidden = new GraphAttentionLayer("conv1", data.features(), HIDDEN_HEADS, HIDDEN_DIM, true, k1,
                new BackendAttentionOp(training, k1, noise, n), init);
        GraphAttentionLayer output = new GraphAttentionLayer("conv2", hidden.outputs(), OUTPUT_HEADS, data.classes(), false, k2,
                new BackendAttentionOp(training, k2, noise, n), init);
        return new GraphModel(new Dropout(config.dropout(), noise.split()), hidden, new Dropout(config.dropout(), noise.split()), output);
    }

    /** One run: the seed's split, weights from the seed and the variant. */
    public static History run(Job job, GraphData data, Config config, AttentionTraining training, Trainer.Progress progress) {
        SplittableRandom init = new SplittableRandom(job.seed() * 31 + job.variant().ordinal());
        return train(model(job.variant(), data, config, training, init), data, split(data, config, job.seed()), config, progress);
    }

    /**
     * Full-batch training: per epoch a training forward (dropout on), cross-entropy on the training
     * nodes, backward, weight decay added to the gradients (as torch's Adam weight_decay), Adam; then
     * an evaluation forward scores the validation and test nodes.
     */
    public static History train(GraphModel model, GraphData data, Split split, Config config, Trainer.Progress progress) {
        long t0 = System.nanoTime(), c0 = Trainer.cpuNanos();
        List<Param> params = model.parameters();
        Adam adam = new Adam(params, config.learningRate());
        int n = data.nodes(), c = data.classes(), epochs = config.epochs();
        double[] trainLoss = new double[epochs], valLoss = new double[epochs], valAcc = new double[epochs], testAcc = new double[epochs];
        int best = -1;
        for (int e = 0; e < epochs; e++) {
            double[] logits = model.forward(data.x(), n, true);
            trainLoss[e] = CrossEntropy.loss(logits, data.labels(), split.train(), c);
            adam.zeroGrad();
            model.backward(CrossEntropy.gradient(logits, data.labels(), split.train(), c));
            for (Param p : params)
                for (int i = 0; i < p.value.length; i++) p.grad[i] += config.weightDecay() * p.value[i];
            adam.step();
            double[] eval = model.forward(data.x(), n, false);
            valLoss[e] = CrossEntropy.loss(eval, data.labels(), split.validation(), c);
            valAcc[e] = CrossEntropy.accuracy(eval, data.labels(), split.validation(), c);
            testAcc[e] = CrossEntropy.accuracy(eval, data.labels(), split.test(), c);
            if (best < 0 || valAcc[e] > valAcc[best] || (valAcc[e] == valAcc[best] && valLoss[e] < valLoss[best])) best = e;
            if (progress != null) progress.epoch(e + 1, epochs);
        }
        return new History(trainLoss, valLoss, valAcc, testAcc, best, (System.nanoTime() - t0) / 1e9, (Trainer.cpuNanos() - c0) / 1e9);
    }
}
