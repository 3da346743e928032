/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the CUDA libraries are looked for, in order: the directories named by the system
 * property {@value NativeLibraries#LIBDIR_PROPERTY}, then {@code CUDA_HOME}/{@code CUDA_PATH}
 * ({@code lib64}, {@code lib}, {@code targets/<arch>-linux/lib}; {@code /usr/local/cuda} if
 * neither is set), then the {@code nvidia/*}/lib
 * folders of Python wheels (where PyTorch's pip install puts cuBLAS, cuRAND and NVRTC, often the
 * only copies on a machine), then the loader's own path by bare soname. The driver alone is also
 * looked for in the folders container runtimes mount it into, after the loader path.
 *
 * <p>A folder named {@code stubs} is never searched: it holds link-time stubs whose functions
 * only return CUDA_ERROR_STUB_LIBRARY.
 *
 * @param dirs folders searched, in order, for every library
 * @param loaderPath whether to ask the loader for the bare soname after {@code dirs}
 * @param driverDirs folders searched for the driver only, after the loader path
 * @param skipped folders that were named but refused (stub folders), for the report
 */
record LibrarySearchPath(List<Path> dirs, boolean loaderPath, List<Path> driverDirs, List<Path> skipped) {

    private static final List<String> WHEEL_PATTERNS = List.of(
            "/usr/local/lib/python3*/site-packages/nvidia/*/lib",
            "/usr/local/lib/python3*/dist-packages/nvidia/*/lib",
            "/opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib",
            "/opt/*/lib/python3*/site-packages/nvidia/*/lib",
            "/usr/lib/python3*/site-packages/nvidia/*/lib",
            "/usr/lib/python3*/dist-packages/nvidia/*/lib");

    private static final List<Path> DRIVER_DIRS = List.of(
            Path.of("/usr/local/nvidia/lib64"), Path.of("/usr/local/nvidia/lib"),
            Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib/aarch64-linux-gnu"),
            Path.of("/usr/lib64"), Path.of("/usr/lib/wsl/lib"));

    LibrarySearchPath {
        dirs = List.copyOf(dirs);
        driverDirs = List.copyOf(driverDirs);
        skipped = List.copyOf(skipped);
    }

    /** Only {@code dirs}, no loader path: for tests that must not pick up a real library. */
    static LibrarySearchPath only(List<Path> dirs) {
        return of(dirs, false, List.of());
    }

    static LibrarySearchPath standard() {
        List<Path> dirs = new ArrayList<>();
        String property = dev.ika4j.api.Settings.CUDA_LIBDIR.get("");
        for (String dir : property.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir.strip()));
            }
        }
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "aarch64", "arm64" -> "sbsa-linux";
            default -> "x86_64-linux";
        };
        Map<String, String> env = System.getenv();
        List<Path> toolkits = new ArrayList<>();
        for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(variable);
            if (home != null && !home.isBlank()) {
                toolkits.add(Path.of(home.strip()));
            }
        }
        if (toolkits.isEmpty()) {
            toolkits.add(Path.of("/usr/local/cuda")); // where the toolkit installs by default
        }
        for (Path root : toolkits) {
            dirs.add(root.resolve("lib64"));
            dirs.add(root.resolve("lib"));
            dirs.add(root.resolve("targets").resolve(arch).resolve("lib"));
        }
        List<String> wheelPatterns = new ArrayList<>(WHEEL_PATTERNS);
        String venv = env.get("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) {
            wheelPatterns.addFirst(venv.strip() + "/lib/python3*/site-packages/nvidia/*/lib");
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank()) {
            wheelPatterns.add(home + "/.local/lib/python3*/site-packages/nvidia/*/lib");
        }
        for (String pattern : wheelPatterns) {
            dirs.addAll(glob(pattern));
        }
        return of(dirs, true, DRIVER_DIRS);
    }

    private static LibrarySearchPath of(List<Path> candidates, boolean loaderPath, List<Path> driverDirs) {
        Set<Path> accepted = new LinkedHashSet<>();
        List<Path> skipped = new ArrayList<>();
        for (Path dir : candidates) {
            Path normal = real(dir.toAbsolutePath().normalize()); // lib64 -> lib is one folder
            if (isStub(normal)) {
                skipped.add(normal);
            } else {
                accepted.add(normal);
            }
        }
        return new LibrarySearchPath(List.copyOf(accepted), loaderPath, driverDirs, skipped);
    }

    private static Path real(Path dir) {
        try {
            return Files.exists(dir) ? dir.toRealPath() : dir;
        } catch (IOException | SecurityException e) {
            return dir;
        }
    }

    /** Whether {@code path} lies in a folder named {@code stubs}. */
    static boolean isStub(Path path) {
        for (Path part : path) {
            if (part.toString().equals("stubs")) {
                return true;
            }
        }
        return false;
    }

    /** Expands {@code *} in path segments; results sorted so the search order is reproducible. */
    static List<Path> glob(String pattern) {
        List<Path> out = new ArrayList<>();
        String[] segments = pattern.split("/");
        expand(Path.of("/"), segments, 1, out);
        return out;
    }

    private static void expand(Path base, String[] segments, int index, List<Path> out) {
        if (index == segments.length) {
            if (Files.isDirectory(base)) {
                out.add(base);
            }
            return;
        }
        String segment = segments[index];
        if (!segment.contains("*")) {
            Path next = base.resolve(segment);
            if (Files.exists(next)) {
                expand(next, segments, index + 1, out);
            }
            return;
        }
        if (!Files.isDirectory(base)) {
            return;
        }
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(base, segment)) {
            stream.forEach(matches::add);
        } catch (IOException | SecurityException e) {
            return; // an unreadable folder simply holds nothing we can load
        }
        matches.sort(null);
        for (Path match : matches) {
            expand(match, segments, index + 1, out);
        }
    }
}
