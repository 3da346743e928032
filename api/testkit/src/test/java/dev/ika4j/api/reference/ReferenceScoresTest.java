/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.testkit.ScoresContractTest;

/** The reference backend's scores output against the operator's definition (see {@link ScoresContractTest}). */
class ReferenceScoresTest extends ScoresContractTest {
    @Override
    protected AttentionBackend backend() {
        return new ReferenceBackend();
    }
}
