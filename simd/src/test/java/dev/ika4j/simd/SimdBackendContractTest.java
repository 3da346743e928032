/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.testkit.BackendContractTest;

/**
 * The SIMD backend against the shared backend contract (ONNX cases, the float64 oracle over many
 * shapes and options, bad input, NaN, resident API, 16 threads). Opened through the registry, as
 * users open it, so a machine without a usable Vector API skips with the provider's reason.
 */
class SimdBackendContractTest extends BackendContractTest {
    @Override
    protected AttentionBackend backend() {
        return Backends.open(SimdBackend.NAME);
    }
}
