/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.testkit.BackendContractTest;

/**
 * The contract again on the GEMM path (forced, so the fused kernel takes none of the calls) with
 * a score budget of 8 KiB, so nearly every call runs in many query blocks: the block offsets of
 * Q, S, the output and the energy, and the causal blocks' shortened key ranges, meet every option.
 */
class CudaQueryBlockedContractTest extends BackendContractTest {

    @Override
    protected String unavailableReason() {
        return CudaBackendContractTest.reasonUnavailable();
    }

    @Override
    protected AttentionBackend backend() {
        return new CudaBackend(BackendConfig.defaults().withScoreBudgetBytes(8192).withCudaPath(BackendConfig.CudaPath.GEMM));
    }
}
