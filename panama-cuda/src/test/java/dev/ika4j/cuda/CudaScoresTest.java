/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.testkit.ScoresContractTest;

/**
 * The GPU's scores output (GEMM path, ika_scores_out) against the operator's definition (see
 * {@link ScoresContractTest}); skipped with the reason where no GPU is usable.
 */
class CudaScoresTest extends ScoresContractTest {
    @Override
    protected String unavailableReason() {
        return CudaBackendContractTest.reasonUnavailable();
    }

    @Override
    protected AttentionBackend backend() {
        return new CudaBackend(BackendConfig.defaults());
    }

    /** Asking for scores moves a call from the fused kernel to the GEMM path: same maths, other roundings. */
    @Override
    protected boolean outputBitIdenticalWithScores() {
        return false;
    }
}
