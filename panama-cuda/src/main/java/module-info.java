/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * ika4j's GPU backend: the CUDA driver, cuBLAS, cuRAND and NVRTC through the FFM API, with no
 * native code of ours. Loading the CUDA libraries needs native access for this module
 * ({@code --enable-native-access=dev.ika4j.cuda}, or {@code ALL-UNNAMED} on the class path).
 */
module dev.ika4j.cuda {
    requires dev.ika4j.api;

    // What a GPU user may need: the backend and its resident tensors (dev.ika4j.cuda), and the
    // native-error exception with the function name and status (dev.ika4j.cuda.error, a leaf that
    // the FFM plumbing can throw without depending back). Internal, bindings and kernels stay inside.
    exports dev.ika4j.cuda;
    exports dev.ika4j.cuda.error;

    provides dev.ika4j.api.BackendProvider with dev.ika4j.cuda.CudaProvider;
}
