/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.portable;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.Backends;
import dev.ika4j.testkit.ScoresContractTest;

/** The portable backend's scores pass against the operator's definition (see {@link ScoresContractTest}). */
class PortableScoresTest extends ScoresContractTest {
    @Override
    protected AttentionBackend backend() {
        return Backends.open(PortableBackend.NAME);
    }
}
