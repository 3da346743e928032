/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.testkit.BackendContractTest;

/**
 * The portable backend against the shared backend contract (ONNX cases, the float64 oracle over
 * many shapes and options, bad input, NaN, resident API, concurrent calls). It runs in this JVM
 * with the Vector API present, which it never touches; {@link NoVectorApiTest} runs it where the
 * module is absent.
 */
class PortableBackendContractTest extends BackendContractTest {
    @Override
    protected AttentionBackend backend() {
        return Backends.open(PortableBackend.NAME);
    }
}
