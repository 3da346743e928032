/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bindings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles our headers against NVIDIA's with gcc, so a prototype, typedef or enumerator value
 * that disagrees with the real library's header fails the build. For each library, one
 * translation unit includes the vendor header, then ours (with IKA_WITH_VENDOR_HEADERS so our
 * enums step aside), and checks that:
 * <ul>
 * <li>every function we declare is declared by the vendor header under that very name, and is
 * not a macro there (cuda.h maps cuMemAlloc to cuMemAlloc_v2: we must bind the latter);</li>
 * <li>our prototypes and typedefs are compatible redeclarations of the vendor's (gcc rejects
 * conflicting types);</li>
 * <li>every enumerator of ours has the vendor's value ({@code _Static_assert}).</li>
 * </ul>
 * cuda.h is on this machine; the cuBLAS, cuRAND and NVRTC headers are checked where they exist
 * (a CUDA toolkit, or the include folders of NVIDIA's Python wheels) and skipped with the reason
 * elsewhere.
 */
class HeaderConformanceTest {

    private static String gcc;
    private static List<Path> vendorIncludes;

    @TempDir
    Path work;

    @BeforeAll
    static void findTools() {
        gcc = onPath("gcc").orElse(null);
        vendorIncludes = vendorIncludeDirs();
    }

    @Test
    void driverHeaderMatchesCudaH() throws Exception {
        assertMatchesVendor("ika_cuda.h", "cuda.h");
    }

    @Test
    void cublasHeaderMatchesCublasV2H() throws Exception {
        assertMatchesVendor("ika_cublas.h", "cublas_v2.h");
    }

    @Test
    void curandHeaderMatchesCurandH() throws Exception {
        assertMatchesVendor("ika_curand.h", "curand.h");
    }

    @Test
    void nvrtcHeaderMatchesNvrtcH() throws Exception {
        assertMatchesVendor("ika_nvrtc.h", "nvrtc.h");
    }

    /** What jextract reads: our headers alone, together, in strict ISO C. */
    @Test
    void ourHeadersCompileAloneAndTogether() throws Exception {
        requireGcc();
        Path tu = work.resolve("alone.c");
        Files.writeString(tu, """
                #include "ika_cuda.h"
                #include "ika_cublas.h"
                #include "ika_curand.h"
                #include "ika_nvrtc.h"
                """);
        Result result = gcc(List.of("-std=c11", "-pedantic-errors", "-Wall", "-Wextra", "-Werror",
                "-I" + HeaderModel.headersDir(), tu.toString()));
        assertEquals(0, result.exit(), result.output());
    }

    /** The checks above must be able to fail: feed them a wrong prototype, value and name. */
    @Test
    void theCheckRejectsADisagreeingHeader() throws Exception {
        requireGcc();
        Path cudaH = vendorHeader("cuda.h").orElse(null);
        Assumptions.assumeTrue(cudaH != null, "cuda.h not found in " + vendorIncludes);
        String ours = Files.readString(HeaderModel.headersDir().resolve("ika_cuda.h"));
        Map<String, String> mutations = Map.of(
                "size_t as int", ours.replace("cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)",
                        "cuMemAlloc_v2(CUdeviceptr *dptr, int bytesize)"),
                "wrong enumerator value", ours.replace("CUDA_ERROR_OUT_OF_MEMORY = 2,", "CUDA_ERROR_OUT_OF_MEMORY = 3,"),
                "macro name instead of the exported symbol", ours.replace("cuMemFree_v2(CUdeviceptr dptr)",
                        "cuMemFree(CUdeviceptr dptr)"),
                "a function cuda.h lacks", ours.replace("CUresult cuCtxSynchronize(void);",
                        "CUresult cuCtxSynchronize(void);\nCUresult cuIkaDoesNotExist(void);"));
        for (var mutation : mutations.entrySet()) {
            assertNotEquals(ours, mutation.getValue(), "mutation '" + mutation.getKey() + "' must change the header");
            Path dir = Files.createDirectories(work.resolve(mutation.getKey().replace(' ', '_')));
            Files.writeString(dir.resolve("ika_cuda.h"), mutation.getValue());
            Result result = compileAgainstVendor(dir, "ika_cuda.h", "cuda.h");
            assertNotEquals(0, result.exit(), "gcc accepted a header with " + mutation.getKey());
        }
        Path same = Files.createDirectories(work.resolve("unchanged"));
        Files.writeString(same.resolve("ika_cuda.h"), ours);
        Result result = compileAgainstVendor(same, "ika_cuda.h", "cuda.h");
        assertEquals(0, result.exit(), result.output());
    }

    private void assertMatchesVendor(String ours, String vendor) throws Exception {
        requireGcc();
        Assumptions.assumeTrue(vendorHeader(vendor).isPresent(),
                vendor + " not found in " + vendorIncludes + " (set CUDA_HOME, or install the toolkit or NVIDIA's wheels)");
        Result result = compileAgainstVendor(HeaderModel.headersDir(), ours, vendor);
        assertEquals(0, result.exit(), "gcc on\n" + result.source() + "\n" + result.output());
    }

    private Result compileAgainstVendor(Path oursDir, String ours, String vendor) throws IOException, InterruptedException {
        HeaderModel model = HeaderModel.parse(ours, Files.readString(oursDir.resolve(ours)));
        StringBuilder tu = new StringBuilder();
        tu.append("#include <").append(vendor).append(">\n\n");
        for (HeaderModel.Function function : model.functions()) {
            String name = function.name();
            tu.append("#ifdef ").append(name).append('\n')
                    .append("#error \"").append(name).append(" is a macro in ").append(vendor)
                    .append(": declare the symbol it expands to\"\n#endif\n")
                    .append("typedef __typeof__(").append(name).append(") ika_vendor_").append(name).append(";\n");
        }
        tu.append("\n#define IKA_WITH_VENDOR_HEADERS 1\n#include \"").append(ours).append("\"\n\n");
        for (var enumerator : model.enumerators().entrySet()) {
            tu.append("_Static_assert((long long) (").append(enumerator.getKey()).append(") == ")
                    .append(enumerator.getValue()).append("LL, \"").append(enumerator.getKey())
                    .append(" differs from ").append(vendor).append("\");\n");
        }
        Path file = work.resolve("check_" + ours.replace(".h", "") + "_" + Math.abs(oursDir.hashCode()) + ".c");
        Files.writeString(file, tu);
        List<String> args = new ArrayList<>(List.of("-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I" + oursDir));
        for (Path include : vendorIncludes) {
            args.add("-isystem");
            args.add(include.toString());
        }
        args.add(file.toString());
        Result result = gcc(args);
        return new Result(result.exit(), result.output(), tu.toString());
    }

    private record Result(int exit, String output, String source) {
    }

    private Result gcc(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(gcc, "-fsyntax-only"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gcc timed out");
        return new Result(process.exitValue(), output, "");
    }

    private static void requireGcc() {
        Assumptions.assumeTrue(gcc != null, "gcc not found on PATH: the header checks need a C compiler");
    }

    private static Optional<Path> vendorHeader(String name) {
        return vendorIncludes.stream().map(dir -> dir.resolve(name)).filter(Files::isRegularFile).findFirst();
    }

    private static Optional<String> onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** CUDA_HOME/CUDA_PATH, /usr/local/cuda, then the include folders of NVIDIA's Python wheels. */
    private static List<Path> vendorIncludeDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = System.getenv(variable);
            if (home != null && !home.isBlank()) {
                dirs.add(Path.of(home.strip(), "include"));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/include"));
        for (String root : List.of("/usr/local/lib", "/usr/lib", "/opt")) {
            for (Path sitePackages : sitePackages(Path.of(root))) {
                for (Path nvidia : children(sitePackages.resolve("nvidia"), "*")) {
                    dirs.add(nvidia.resolve("include"));
                }
            }
        }
        return dirs.stream().filter(Files::isDirectory).map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    private static List<Path> sitePackages(Path root) {
        List<Path> out = new ArrayList<>();
        List<Path> libs = new ArrayList<>(List.of(root));
        for (Path opt : children(root, "*")) { // /opt/<name>/.venv/lib and /opt/<name>/lib
            libs.add(opt.resolve(".venv/lib"));
            libs.add(opt.resolve("lib"));
        }
        for (Path lib : libs) {
            for (Path python : children(lib, "python3*")) {
                out.add(python.resolve("site-packages"));
                out.add(python.resolve("dist-packages"));
            }
        }
        return out;
    }

    private static List<Path> children(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
