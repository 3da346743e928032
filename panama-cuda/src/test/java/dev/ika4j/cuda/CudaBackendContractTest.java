/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.testkit.BackendContractTest;

/** The whole backend contract (conformance, oracle, bad input, NaN, resident, threads) on the GPU. */
class CudaBackendContractTest extends BackendContractTest {

    static String reasonUnavailable() {
        Availability a = new CudaProvider().availability();
        return a.available() ? null : "cuda: " + a.reason();
    }

    @Override
    protected String unavailableReason() {
        return reasonUnavailable();
    }

    @Override
    protected AttentionBackend backend() {
        return new CudaBackend(BackendConfig.defaults());
    }
}
