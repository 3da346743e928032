/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** ika4j's API: tensors, options, the kernels, the backend SPI and the training interface. */
module dev.ika4j.api {
    // Optional: the warm-up watches the JIT's compile time where the module is present (JitActivity).
    requires static java.management;
    exports dev.ika4j.api;
    exports dev.ika4j.api.kernel;
    exports dev.ika4j.api.spi;
    // The host-side kernel plan the backends share; not user API.
    exports dev.ika4j.api.internal.plan to dev.ika4j.simd, dev.ika4j.cuda;

    uses dev.ika4j.api.BackendProvider;
}
