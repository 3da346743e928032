/** ika4j's shared API: tensors, options, the backend SPI and the float64 reference backend. */
module dev.ika4j.api {
    exports dev.ika4j.api;
    exports dev.ika4j.api.kernel;
    exports dev.ika4j.api.spi;
    exports dev.ika4j.api.reference;

    uses dev.ika4j.api.spi.BackendProvider;

    provides dev.ika4j.api.spi.BackendProvider with dev.ika4j.api.reference.ReferenceProvider;
}
