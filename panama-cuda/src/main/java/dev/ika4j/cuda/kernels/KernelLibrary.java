package dev.ika4j.cuda.kernels;

import dev.ika4j.cuda.internal.CudaContext;
import dev.ika4j.cuda.internal.CudaFunction;
import dev.ika4j.cuda.internal.CudaModule;
import dev.ika4j.cuda.internal.Nvrtc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CUDA C kernels shipped as resources beside this class, compiled by NVRTC once per compute
 * capability (the PTX is cached for the life of the process, so every backend on the same kind of
 * device reuses it) and loaded as a module into one context.
 */
public final class KernelLibrary implements AutoCloseable {
    /** The source files, resources in this package. */
    public static final List<String> SOURCES = List.of("attention.cu");

    /** Every entry point the Java side launches, by source; a test checks each one is in the PTX. */
    public static final Map<String, List<String>> ENTRY_POINTS = Map.of(
            "attention.cu", List.of("ika_softmax_rows", "ika_flag_nonfinite", "ika_pv_exact"));

    private static final Map<String, byte[]> PTX_CACHE = new ConcurrentHashMap<>();

    private final CudaModule attention;
    public final CudaFunction softmaxRows;
    public final CudaFunction flagNonFinite;
    public final CudaFunction pvExact;

    private KernelLibrary(CudaModule attention) {
        this.attention = attention;
        this.softmaxRows = attention.function("ika_softmax_rows");
        this.flagNonFinite = attention.function("ika_flag_nonfinite");
        this.pvExact = attention.function("ika_pv_exact");
    }

    /** Compiles (or takes from the cache) and loads the kernels into {@code ctx}. */
    public static KernelLibrary load(CudaContext ctx) {
        int cc = ctx.computeCapability();
        byte[] ptx = PTX_CACHE.computeIfAbsent("attention.cu@" + cc, key -> compile("attention.cu", cc));
        CudaModule module = CudaModule.load(ctx, ptx);
        try {
            return new KernelLibrary(module);
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    private static byte[] compile(String name, int cc) {
        // No fast-math: the kernels rely on IEEE -inf and NaN behaving exactly.
        return Nvrtc.compileToPtx(source(name), name, "--gpu-architecture=compute_" + cc, "--std=c++17");
    }

    /** The text of one kernel source. */
    public static String source(String name) {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("kernel source " + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + name, e);
        }
    }

    @Override
    public void close() {
        attention.close();
    }
}
