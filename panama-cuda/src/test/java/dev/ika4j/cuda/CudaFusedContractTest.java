/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.testkit.BackendContractTest;

/**
 * The contract again with the fused flash-attention kernel forced wherever it supports the call
 * (head dims up to 128, no mask, soft-capping or energy output); the rest runs on the GEMM path.
 */
class CudaFusedContractTest extends BackendContractTest {

    @Override
    protected String unavailableReason() {
        return CudaBackendContractTest.reasonUnavailable();
    }

    @Override
    protected AttentionBackend backend() {
        return new CudaBackend(BackendConfig.defaults().withCudaPath(BackendConfig.CudaPath.FUSED));
    }
}
