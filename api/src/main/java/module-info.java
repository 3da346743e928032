/** ika4j's shared API: tensors, options, the backend SPI and the float64 reference backend. */
module dev.ika4j.api {
    exports dev.ika4j.api;
    exports dev.ika4j.api.kernel;
    exports dev.ika4j.api.spi;
    exports dev.ika4j.api.grad;
    exports dev.ika4j.api.reference;
    exports dev.ika4j.api.onnx;

    uses dev.ika4j.api.spi.BackendProvider;
    uses dev.ika4j.api.grad.AttentionTraining.Provider;

    provides dev.ika4j.api.spi.BackendProvider with dev.ika4j.api.reference.ReferenceProvider;
}
