/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * ika4j's CPU backends: {@code simd} on the JDK Vector API, and {@code portable}, plain Java in
 * float32, which {@code auto} takes where the Vector API cannot run.
 */
module dev.ika4j.simd {
    requires dev.ika4j.api;
    requires jdk.incubator.vector;
    // For the C2 check in SimdProvider and the UseFMA check in FmaSupport (HotSpotDiagnosticMXBean),
    // used only where present: a trimmed runtime image without it still runs simd (the C2 check
    // then reads java.vm.info alone, the FMA check assumes FMA for simd and not for portable).
    requires static jdk.management;

    exports dev.ika4j.simd;
    // The backend and its provider only: kernels (internal, paper) and the backward pass (grad,
    // reached through AttentionTraining.of(backend)) are implementation.

    // simd where the Vector API runs; portable (plain Java, float32) where it does not.
    provides dev.ika4j.api.BackendProvider with dev.ika4j.simd.SimdProvider, dev.ika4j.simd.portable.PortableProvider;
}
