/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import java.util.SplittableRandom;

/**
 * The rows of one repeat: the authors' random 90/10 train/test split (all rows stay in the
 * sequence the model sees; masks pick the rows each loss covers), and for the honest protocol a
 * validation carve-out of the training rows that the model never trains on.
 *
 * @param train      rows the loss covers
 * @param validation rows that pick the epoch in the honest protocol (none in the authors')
 * @param test       rows reported
 */
public record Split(boolean[] train, boolean[] validation, boolean[] test) {

    /**
     * The authors' split: shuffle the rows, the first floor(0.9 n) train, the rest test. With
     * {@code validationShare} > 0, that share of the training rows (at least one) becomes
     * validation instead.
     */
    public static Split random(int rows, long seed, double validationShare) {
        if (rows < 3) throw new IllegalArgumentException("need at least 3 rows to split, got " + rows);
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = rows - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int nTrain = (int) (rows * 0.9);
        int nVal = validationShare > 0 ? Math.max(1, (int) Math.round(nTrain * validationShare)) : 0;
        boolean[] train = new boolean[rows], val = new boolean[rows], test = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            if (i < nTrain - nVal) train[idx[i]] = true;
            else if (i < nTrain) val[idx[i]] = true;
            else test[idx[i]] = true;
        }
        return new Split(train, val, test);
    }

    /**
     * Node classification's split: per class, {@code trainPerClass} labelled training nodes and
     * {@code validationPerClass} validation nodes drawn at random by the seed; every other node is
     * a test node.
     */
    public static Split perClass(int[] labels, int classes, int trainPerClass, int validationPerClass, long seed) {
        int n = labels.length;
        boolean[] train = new boolean[n], val = new boolean[n], test = new boolean[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            int[] members = new int[n];
            int m = 0;
            for (int i = 0; i < n; i++) if (labels[i] == c) members[m++] = i;
            if (m < trainPerClass + validationPerClass + 1) {
                throw new IllegalArgumentException("class " + c + " has " + m + " nodes, too few for " + trainPerClass
                        + " training and " + validationPerClass + " validation nodes and a test node");
            }
            for (int i = m - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1), t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            for (int i = 0; i < m; i++) {
                if (i < trainPerClass) train[members[i]] = true;
                else if (i < trainPerClass + validationPerClass) val[members[i]] = true;
                else test[members[i]] = true;
            }
        }
        return new Split(train, val, test);
    }

    public boolean hasValidation() {
        return MaskedMse.count(validation) > 0;
    }
}
