/** ika4j's ONNX conformance runner: reads ONNX Attention node tests and runs them on the backends. */
module dev.ika4j.conformance {
    requires dev.ika4j.api;

    exports dev.ika4j.api.onnx;
}
