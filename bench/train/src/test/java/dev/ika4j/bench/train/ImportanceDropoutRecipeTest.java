/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.ImportanceDropout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reproduction's authors' preset: importance dropout 0.1 in training steps, none in evaluation. */
class ImportanceDropoutRecipeTest {
    @Test
    void trainingStepsDropWithAFreshMaskAndEvaluationDoesNot() {
        RegressionExperiment.Setting s = RegressionExperiment.setting("housing", RegressionExperiment.Variant.IKA_DIRECT);
        KernelSpec spec = RegressionExperiment.kernel(s, new SplittableRandom(1));
        assertTrue(spec.trainingDiffers());
        SplittableRandom rng = new SplittableRandom(2);
        ImportanceDropout a = ((IkaDirectKernel) spec.build(true, rng)).options().importanceDropout();
        ImportanceDropout b = ((IkaDirectKernel) spec.build(true, rng)).options().importanceDropout();
        ImportanceDropout eval = ((IkaDirectKernel) spec.build(false, rng)).options().importanceDropout();
        assertTrue(a.active() && b.active());
        assertTrue(a.rate() == ImportanceDropout.AUTHORS_RATE);
        assertNotEquals(a.seed(), b.seed(), "each training step draws a new mask");
        assertFalse(eval.active());
        assertFalse(RegressionExperiment.kernel(RegressionExperiment.setting("housing", RegressionExperiment.Variant.STANDARD),
                new SplittableRandom(1)).trainingDiffers());
    }
}
