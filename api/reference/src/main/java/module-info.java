/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** ika4j's float64 reference backend: every kernel, forward and backward, from its formula; the oracle. */
module dev.ika4j.reference {
    requires dev.ika4j.api;

    exports dev.ika4j.api.reference;

    provides dev.ika4j.api.BackendProvider with dev.ika4j.api.reference.ReferenceProvider;
}
