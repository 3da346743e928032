/** ika4j's CPU backend on the JDK Vector API. */
module dev.ika4j.simd {
    requires dev.ika4j.api;
    requires jdk.incubator.vector;
    // For the C2 check in SimdProvider (HotSpotDiagnosticMXBean); part of every full JDK.
    requires jdk.management;

    exports dev.ika4j.simd;
    // The backend and its provider only: kernels (internal, paper) and the backward pass (grad,
    // reached through AttentionTraining.of(backend)) are implementation.

    provides dev.ika4j.api.spi.BackendProvider with dev.ika4j.simd.SimdProvider;
    provides dev.ika4j.api.grad.AttentionTraining.Provider with dev.ika4j.simd.grad.SimdTraining.Provider;
}
