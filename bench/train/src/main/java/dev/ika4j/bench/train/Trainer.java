/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.List;

/**
 * The authors' training loop ({@code main.py} / {@code solver.py}): per epoch one full-batch step
 * (masked MSE on the training rows plus the kernel's regulariser over the number of training rows,
 * backward, gradient-norm clipping, Adam), then an evaluation forward that scores the test (and
 * validation) rows with the updated parameters. The model has no dropout, so the evaluation
 * forward doubles as the next step's training forward.
 */
public final class Trainer {
    private Trainer() {}

    /** Hyper-parameters of the loop. */
    public record Config(int epochs, double learningRate, double clipNorm) {
        public static final Config AUTHORS = new Config(1000, 0.01, 1000.0);

        public Config {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
    }

    /**
     * What one run saw.
     *
     * @param trainLoss       the training objective per epoch (MSE + regulariser / n_train)
     * @param testRmse        test RMSE per epoch, from the inference-mode forward after the step
     * @param validationRmse  validation RMSE per epoch (NaN without a validation split)
     * @param bestTestEpoch   the epoch of lowest test RMSE (the authors' selection), 0-based
     * @param selectedEpoch   the epoch of lowest validation RMSE (the honest selection), -1 without
     * @param bestTestFit     predictions at {@code bestTestEpoch}
     * @param selectedFit     predictions at {@code selectedEpoch} (null without validation)
     * @param seconds         wall time of the run
     * @param cpuSeconds      CPU time of the thread that ran it (what an otherwise idle core would take)
     */
    public record History(double[] trainLoss, double[] testRmse, double[] validationRmse, int bestTestEpoch,
                          int selectedEpoch, double[] bestTestFit, double[] selectedFit, double seconds, double cpuSeconds) {
        public double bestTestRmse() {
            return testRmse[bestTestEpoch];
        }

        /** Test RMSE at the validation-selected epoch; NaN without validation. */
        public double selectedTestRmse() {
            return selectedEpoch < 0 ? Double.NaN : testRmse[selectedEpoch];
        }

        public double finalTestRmse() {
            return testRmse[testRmse.length - 1];
        }
    }

    /** Progress callback, called after every epoch. */
    public interface Progress {
        void epoch(int done, int total);
    }

    /** CPU time of the current thread, or 0 where the JVM does not measure it. */
    static long cpuNanos() {
        java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
        return b.isCurrentThreadCpuTimeSupported() ? b.getCurrentThreadCpuTime() : 0;
    }

    public static History train(RegressionTransformer model, RegressionData data, Split split, Config config, Progress progress) {
        long t0 = System.nanoTime(), c0 = cpuNanos();
        List<Param> params = model.parameters();
        Adam adam = new Adam(params, config.learningRate());
        int n = data.rows();
        double regWeight = 1.0 / MaskedMse.count(split.train());
        boolean hasVal = split.hasValidation();
        double[] trainLoss = new double[config.epochs()], test = new double[config.epochs()], val = new double[config.epochs()];
        int bestTest = -1, bestVal = -1;
        double[] bestTestFit = null, selectedFit = null;
        // Without training-only behaviour (importance dropout) every forward draws its own noise, so
        // the evaluation forward after step e is also the training forward of step e + 1, exactly:
        // same parameters, same function. Reusing it saves one forward pass per epoch; with dropout
        // each step takes a training forward of its own.
        boolean separate = model.trainingDiffers();
        double[] pred = model.forward(data.x(), n, true);
        for (int e = 0; e < config.epochs(); e++) {
            if (separate && e > 0) pred = model.forward(data.x(), n, true);
            trainLoss[e] = MaskedMse.loss(pred, data.y(), split.train()) + regWeight * model.regularizer();
            adam.zeroGrad();
            model.backward(MaskedMse.gradient(pred, data.y(), split.train()), regWeight);
            Adam.clipGradNorm(params, config.clipNorm());
            adam.step();

            double[] eval = model.forward(data.x(), n, false);
            test[e] = Math.sqrt(MaskedMse.loss(eval, data.y(), split.test()));
            val[e] = hasVal ? Math.sqrt(MaskedMse.loss(eval, data.y(), split.validation())) : Double.NaN;
            // strict "<" keeps the first epoch of a tie, as the authors' loop does
            if (bestTest < 0 || test[e] < test[bestTest]) {
                bestTest = e;
                bestTestFit = eval;
            }
            if (hasVal && (bestVal < 0 || val[e] < val[bestVal])) {
                bestVal = e;
                selectedFit = eval;
            }
            pred = eval;
            if (progress != null) progress.epoch(e + 1, config.epochs());
        }
        return new History(trainLoss, test, val, bestTest, bestVal, bestTestFit, selectedFit, (System.nanoTime() - t0) / 1e9,
                (cpuNanos() - c0) / 1e9);
    }
}
