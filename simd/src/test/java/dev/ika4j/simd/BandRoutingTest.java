/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.GatKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.spi.AttentionProblem;
import dev.ika4j.testkit.PaperKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which banded calls simd's fused block loop takes itself, and which go through the gather. */
class BandRoutingTest {
    static boolean fused(AttentionKernel kernel) {
        Tensor x = Tensor.zerosBhsd(1, 2, 5, 4);
        try (SimdBackend simd = new SimdBackend(BackendConfig.defaults().withThreads(1))) {
            return simd.bandsInCompute(AttentionProblem.of(x, x, x,
                    AttentionOptions.builder().kernel(kernel).neighbourhood(Neighbourhood.banded(2, 1)).build()));
        }
    }

    @Test
    void everyKernelOfTheBlockLoopTakesTheBandItself() {
        SplittableRandom r = new SplittableRandom(1);
        IkaOptions o = IkaOptions.builder().build();
        assertEquals(true, fused(AttentionKernel.standard()));
        assertEquals(true, fused(new RbfImportanceKernel(3, null)));
        assertEquals(true, fused(PaperKernels.direct(r, 4, 2, 3, o)));
        assertEquals(true, fused(PaperKernels.generatorKernel(r, 4, 2, 3, o)));
        // no key blocks in the linear-time mode, and GAT has loops of its own: gathered
        assertEquals(false, fused(PaperKernels.direct(r, 4, 2, 3, o.toBuilder().linear(true).build())));
        assertEquals(false, fused(new GatKernel(PaperKernels.uniform(r, 1, 2, 4), PaperKernels.uniform(r, 1, 2, 4))));
    }
}
