/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** ika4j's ONNX conformance runner: reads ONNX Attention node tests and runs them on the backends. */
module dev.ika4j.conformance {
    requires dev.ika4j.api;

    exports dev.ika4j.api.onnx;
}
