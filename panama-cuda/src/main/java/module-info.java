/**
 * ika4j's GPU backend: the CUDA driver, cuBLAS, cuRAND and NVRTC through the FFM API, with no
 * native code of ours. Loading the CUDA libraries needs native access for this module
 * ({@code --enable-native-access=dev.ika4j.cuda}, or {@code ALL-UNNAMED} on the class path).
 */
module dev.ika4j.cuda {
    requires dev.ika4j.api;

    // What a GPU user may need: the backend, its resident tensors and the native-error exception
    // (function name and status). The FFM plumbing (internal), bindings and kernels stay inside.
    exports dev.ika4j.cuda;

    provides dev.ika4j.api.spi.BackendProvider with dev.ika4j.cuda.CudaProvider;
}
