/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the libraries are looked for and what is said when they are missing. The real search
 * is checked on machines without a driver (this one); the search logic itself is checked with
 * small shared objects built here by gcc that stand in for the CUDA libraries.
 */
class NativeLibrariesTest {

    /** Needs libcublasLt by soname, as the real one does. */
    private static final String CUBLAS_USING_LT =
            "int cublasLtCreate(void **h);\nint cublasCreate_v2(void **h) { return cublasLtCreate(h); }";

    @TempDir
    Path work;

    @Test
    void withoutADriverLoadFailsNamingTheMissingLibraryAndTheLoaderError() {
        Assumptions.assumeFalse(driverInstalled(), "a CUDA driver is installed here; GpuSmokeTest covers loading");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, NativeLibraries::load);
        assertTrue(e.reason().startsWith("libcuda.so.1 (CUDA driver) not found in ["), e.reason());
        assertTrue(e.reason().contains("the loader path"), e.reason());
        // the loader's own words, not a paraphrase
        assertTrue(e.reason().contains("libcuda.so.1: cannot open shared object file"), e.reason());
        assertFalse(e.reason().contains("/stubs/"), e.reason());
        assertFalse(NativeLibraries.isLoaded());
        CudaUnavailableException again = assertThrows(CudaUnavailableException.class, NativeLibraries::load);
        assertEquals(e.reason(), again.reason(), "a failed load is remembered, not retried");
        assertEquals("no NVIDIA driver: libcuda.so.1 not found; see docs/gpu.md", e.summary());
        assertEquals(e.summary(), again.summary());
    }

    @Test
    void theSummaryIsOneLineNamingWhatIsMissing() {
        assertEquals("no NVIDIA driver: libcuda.so.1 not found; see docs/gpu.md",
                NativeLibraries.summary(List.of(NativeLibraries.Spec.CUDA, NativeLibraries.Spec.NVRTC)));
        assertEquals("CUDA libraries not found: cuBLAS (libcublas.so.13), NVRTC (libnvrtc.so.13); set CUDA_HOME or "
                        + "-D" + NativeLibraries.LIBDIR_PROPERTY + "=DIR, see docs/gpu.md",
                NativeLibraries.summary(List.of(NativeLibraries.Spec.CUBLAS, NativeLibraries.Spec.NVRTC)));
    }

    @Test
    void stubFoldersAreNeverSearched() throws Exception {
        requireGcc();
        Path stubs = Files.createDirectories(work.resolve("cuda/lib64/stubs")).toRealPath();
        build(stubs.resolve("libcuda.so.1"), "int cuInit(unsigned int flags) { return 34; }");
        String previous = System.getProperty(NativeLibraries.LIBDIR_PROPERTY);
        System.setProperty(NativeLibraries.LIBDIR_PROPERTY, stubs.toString());
        try {
            LibrarySearchPath standard = LibrarySearchPath.standard();
            assertFalse(standard.dirs().contains(stubs), standard.dirs().toString());
            assertTrue(standard.skipped().contains(stubs), standard.skipped().toString());
        } finally {
            restore(previous);
        }
        LibrarySearchPath path = new LibrarySearchPath(List.of(), false, List.of(), List.of(stubs));
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, () -> NativeLibraries.loadFrom(path));
        assertTrue(e.reason().contains("skipped " + stubs + ": stub folders are never searched"), e.reason());
        assertTrue(LibrarySearchPath.isStub(Path.of("/usr/local/cuda/lib64/stubs/libcuda.so")));
        assertFalse(LibrarySearchPath.isStub(Path.of("/usr/local/cuda/lib64/libcublas.so.13")));
    }

    @Test
    @SuppressWarnings("restricted")
    void loadsEveryLibraryFromAFolderWithItsCompanionsFirst() throws Throwable {
        requireFakesAllowed();
        Path dir = Files.createDirectories(work.resolve("all"));
        buildFakeSet(dir, 13);
        NativeLibraries libraries = NativeLibraries.loadFrom(LibrarySearchPath.only(List.of(dir)));
        assertEquals(List.of("libcuda.so.1", "libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10",
                "libnvrtc-builtins.so.13.0", "libnvrtc.so.13"), new ArrayList<>(libraries.files().keySet()));
        for (var file : libraries.files().entrySet()) {
            assertEquals(dir.resolve(file.getKey()).toString(), file.getValue());
        }
        assertTrue(libraries.describe().contains("libcublas.so.13 -> " + dir.resolve("libcublas.so.13")), libraries.describe());
        // the lookups reach the very libraries found: call the fake cuInit
        MemorySegment cuInit = libraries.lookup(NativeLibraries.Spec.CUDA).find("cuInit").orElseThrow();
        MethodHandle handle = Linker.nativeLinker().downcallHandle(cuInit, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        assertEquals(4213, (int) handle.invokeExact(0));
    }

    @Test
    void anEarlierFolderWinsAndOlderSonamesAreAccepted() throws Exception {
        requireFakesAllowed();
        Path first = Files.createDirectories(work.resolve("first"));
        Path second = Files.createDirectories(work.resolve("second"));
        buildFakeSet(first, 12);
        buildFakeSet(second, 13);
        NativeLibraries libraries = NativeLibraries.loadFrom(LibrarySearchPath.only(List.of(first, second)));
        assertEquals(first.resolve("libcublas.so.12").toString(), libraries.files().get("libcublas.so.12"));
        assertEquals(first.resolve("libnvrtc.so.12").toString(), libraries.files().get("libnvrtc.so.12"));
        assertFalse(libraries.files().containsKey("libcublas.so.13"));
    }

    @Test
    void everyMissingOrBrokenLibraryIsNamedWithTheReason() throws Exception {
        requireFakesAllowed();
        Path dir = Files.createDirectories(work.resolve("partial"));
        build(dir.resolve("libcuda.so.1"), "int cuInit(unsigned int flags) { return 0; }");
        Files.writeString(dir.resolve("libcurand.so.10"), "not an ELF file\n".repeat(100));
        build(dir.resolve("libnvrtc.so.13"), "int nvrtcSomethingElse(void) { return 0; }");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> NativeLibraries.loadFrom(LibrarySearchPath.only(List.of(dir))));
        String reason = e.reason();
        assertFalse(reason.contains("libcuda.so.1"), reason);
        assertTrue(reason.contains("libcublas.so.13 or libcublas.so.12 (cuBLAS) not found in [" + dir + "]: no such file"), reason);
        assertTrue(reason.contains("libcurand.so.10 or libcurand.so.11 (cuRAND) not found in [" + dir + "]: "), reason);
        assertTrue(reason.contains(dir.resolve("libcurand.so.10") + ": invalid ELF header"), reason);
        assertTrue(reason.contains(dir.resolve("libnvrtc.so.13") + " does not export nvrtcVersion"), reason);
    }

    @Test
    void aLibraryWhoseDependencyIsMissingReportsTheLoaderError() throws Exception {
        requireFakesAllowed();
        Path built = Files.createDirectories(work.resolve("built"));
        Path dir = Files.createDirectories(work.resolve("nolt"));
        build(built.resolve("libcublasLt.so.11"), "int cublasLtCreate(void **h) { return 0; }", "-Wl,-soname,libcublasLt.so.11");
        build(dir.resolve("libcublas.so.12"), CUBLAS_USING_LT, "-Wl,--no-as-needed", built.resolve("libcublasLt.so.11").toString());
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> NativeLibraries.loadFrom(LibrarySearchPath.only(List.of(dir))));
        assertTrue(e.reason().contains("libcublasLt.so.11: cannot open shared object file"), e.reason());
    }

    @Test
    void pythonWheelFoldersAreFoundByGlob() throws Exception {
        Path lib = Files.createDirectories(work.resolve("venv/lib/python3.12/site-packages/nvidia/cu13/lib"));
        Files.createDirectories(work.resolve("venv/lib/python3.12/site-packages/nvidia/cublas/include"));
        List<Path> found = LibrarySearchPath.glob(work + "/venv/lib/python3*/site-packages/nvidia/*/lib");
        assertEquals(List.of(lib), found);
    }

    /** Builds libraries named like CUDA's of the given major version, exporting the probed symbols. */
    private void buildFakeSet(Path dir, int major) throws Exception {
        build(dir.resolve("libcuda.so.1"), "int cuInit(unsigned int flags) { return 4213; }");
        // libcublas needs libcublasLt by soname, with no rpath: it loads only if the loader preloads it
        Path lt = dir.resolve("libcublasLt.so." + major);
        build(lt, "int cublasLtCreate(void **h) { return 0; }", "-Wl,-soname,libcublasLt.so." + major + ".fake" + Math.abs(dir.hashCode()));
        build(dir.resolve("libcublas.so." + major), CUBLAS_USING_LT, "-Wl,--no-as-needed", lt.toString());
        build(dir.resolve(major == 13 ? "libcurand.so.10" : "libcurand.so.11"), "int curandCreateGenerator(void **g, int t) { return 0; }");
        build(dir.resolve("libnvrtc-builtins.so." + major + ".0"), "int nvrtcBuiltins(void) { return 0; }");
        build(dir.resolve("libnvrtc.so." + major), "int nvrtcVersion(int *a, int *b) { return 0; }");
    }

    private void build(Path library, String source, String... extra) throws IOException, InterruptedException {
        Path c = library.resolveSibling(library.getFileName() + ".c");
        Files.writeString(c, source + "\n");
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-o", library.toString(), c.toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        Files.delete(c);
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(NativeLibraries.LIBDIR_PROPERTY);
        } else {
            System.setProperty(NativeLibraries.LIBDIR_PROPERTY, previous);
        }
    }

    private static void requireGcc() {
        Assumptions.assumeTrue(onPath("gcc"), "gcc not found on PATH: these tests build stand-in libraries");
    }

    /**
     * Stand-ins have no soname, or one no real library has (libcublasLt.so.13.fake...), so the
     * loader never hands them to a later real load by soname in this JVM: safe on a GPU machine too.
     */
    private static void requireFakesAllowed() {
        requireGcc();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Independently of NativeLibraries: is there a libcuda.so.1 the loader or we could find? */
    static boolean driverInstalled() {
        List<Path> dirs = new ArrayList<>(LibrarySearchPath.standard().driverDirs());
        dirs.addAll(List.of(Path.of("/usr/lib"), Path.of("/lib/x86_64-linux-gnu"), Path.of("/lib64")));
        for (String dir : System.getenv().getOrDefault("LD_LIBRARY_PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir));
            }
        }
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve("libcuda.so.1"))) {
                return true;
            }
        }
        try {
            Process process = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
            String cache = new String(process.getInputStream().readAllBytes());
            process.waitFor(30, TimeUnit.SECONDS);
            return cache.contains("libcuda.so.1 ");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
