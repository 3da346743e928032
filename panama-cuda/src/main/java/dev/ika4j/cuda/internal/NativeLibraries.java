/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.bindings.cublas_h;
import dev.ika4j.cuda.bindings.cuda_h;
import dev.ika4j.cuda.bindings.curand_h;
import dev.ika4j.cuda.bindings.nvrtc_h;

import java.io.IOException;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The CUDA driver, cuBLAS, cuRAND and NVRTC, found by their versioned sonames (see
 * {@link LibrarySearchPath} for where) and bound to the {@code dev.ika4j.cuda.bindings} classes.
 *
 * <p>{@link #load()} loads at most once per JVM, on first call, and remembers a failure, so
 * asking again is cheap. Nothing here runs on class initialisation: a provider can be listed
 * without touching native code. Thread-safe.
 */
public final class NativeLibraries {

    /** System property: folders (path-separator separated) searched before anything else. */
    public static final String LIBDIR_PROPERTY = "ika.cuda.libdir";

    /** One library: sonames in order of preference, and a symbol it must export. */
    record Spec(String name, List<String> sonames, String probe) {
        static final Spec CUDA = new Spec("CUDA driver", List.of("libcuda.so.1"), "cuInit");
        static final Spec CUBLAS = new Spec("cuBLAS", List.of("libcublas.so.13", "libcublas.so.12"), "cublasCreate_v2");
        static final Spec CURAND = new Spec("cuRAND", List.of("libcurand.so.10", "libcurand.so.11"), "curandCreateGenerator");
        static final Spec NVRTC = new Spec("NVRTC", List.of("libnvrtc.so.13", "libnvrtc.so.12"), "nvrtcVersion");
        static final List<Spec> ALL = List.of(CUDA, CUBLAS, CURAND, NVRTC);
    }

    private static final Object LOCK = new Object();
    private static NativeLibraries loaded;
    private static CudaUnavailableException failure;

    private final Map<String, String> files;
    private final Map<Spec, SymbolLookup> lookups;

    private NativeLibraries(Map<String, String> files, Map<Spec, SymbolLookup> lookups) {
        this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        this.lookups = Map.copyOf(lookups);
    }

    /**
     * Loads the four libraries from the standard search path and binds them, once.
     *
     * @throws CudaUnavailableException naming every library that could not be loaded, where it
     *         was looked for and the loader's error
     */
    public static NativeLibraries load() {
        synchronized (LOCK) {
            if (loaded != null) {
                return loaded;
            }
            if (failure != null) {
                throw new CudaUnavailableException(failure.summary(), failure.reason(), failure);
            }
            try {
                NativeLibraries libraries = loadFrom(LibrarySearchPath.standard());
                cuda_h.bind(libraries.lookup(Spec.CUDA));
                cublas_h.bind(libraries.lookup(Spec.CUBLAS));
                curand_h.bind(libraries.lookup(Spec.CURAND));
                nvrtc_h.bind(libraries.lookup(Spec.NVRTC));
                loaded = libraries;
                return libraries;
            } catch (CudaUnavailableException e) {
                failure = e;
                throw e;
            }
        }
    }

    /** Whether {@link #load()} has succeeded in this JVM (never loads anything itself). */
    static boolean isLoaded() {
        synchronized (LOCK) {
            return loaded != null;
        }
    }

    /** Each loaded soname (companions such as libcublasLt included) and the file it came from. */
    public Map<String, String> files() {
        return files;
    }

    /** One line per loaded library: {@code soname -> file}. */
    public String describe() {
        return files.entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    SymbolLookup lookup(Spec spec) {
        return lookups.get(spec);
    }

    /** Loads from {@code path} without binding: the testable core of {@link #load()}. */
    static NativeLibraries loadFrom(LibrarySearchPath path) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<Spec, SymbolLookup> lookups = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<Spec> missingSpecs = new ArrayList<>();
        for (Spec spec : Spec.ALL) {
            try {
                lookups.put(spec, find(spec, path, files));
            } catch (CudaUnavailableException e) {
                missing.add(e.reason());
                missingSpecs.add(spec);
            }
        }
        if (!missing.isEmpty()) {
            throw new CudaUnavailableException(summary(missingSpecs), String.join("; ", missing), null);
        }
        return new NativeLibraries(files, lookups);
    }

    /** One line for users: what is missing, and where to read on. */
    static String summary(List<Spec> missing) {
        if (missing.contains(Spec.CUDA)) {
            return "no NVIDIA driver: libcuda.so.1 not found; see docs/gpu.md";
        }
        String which = missing.stream().map(s -> s.name() + " (" + s.sonames().getFirst() + ")")
                .collect(Collectors.joining(", "));
        return "CUDA libraries not found: " + which + "; set CUDA_HOME or -D" + LIBDIR_PROPERTY + "=DIR"
                + ", see docs/gpu.md";
    }

    private static SymbolLookup find(Spec spec, LibrarySearchPath path, Map<String, String> files) {
        List<String> errors = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        for (Path dir : path.dirs()) {
            Optional<SymbolLookup> found = findIn(dir, spec, files, errors, searched);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (path.loaderPath()) {
            searched.add("the loader path");
            for (String soname : spec.sonames()) {
                try {
                    DynamicLoader.Library library = DynamicLoader.open(soname, spec.probe());
                    if (LibrarySearchPath.isStub(Path.of(library.file()))) {
                        errors.add("refused " + library.file() + ": a stub library");
                        continue;
                    }
                    files.put(soname, library.file());
                    return library.lookup();
                } catch (DynamicLoader.LoadFailure e) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (spec == Spec.CUDA) {
            for (Path dir : path.driverDirs()) {
                Optional<SymbolLookup> found = findIn(dir, spec, files, errors, searched);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        for (Path stub : path.skipped()) {
            errors.add("skipped " + stub + ": stub folders are never searched");
        }
        throw new CudaUnavailableException(String.join(" or ", spec.sonames()) + " (" + spec.name()
                + ") not found in " + searched + ": "
                + (errors.isEmpty() ? "no such file" : String.join("; ", errors)));
    }

    private static Optional<SymbolLookup> findIn(Path dir, Spec spec, Map<String, String> files,
                                                 List<String> errors, List<String> searched) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        searched.add(dir.toString());
        for (String soname : spec.sonames()) {
            Path file = dir.resolve(soname);
            if (!Files.exists(file)) {
                continue;
            }
            Map<String, String> companions = new LinkedHashMap<>();
            try {
                // Load what the library dlopens or links by soname from its own folder first,
                // so the loader finds them even when the folder is on no search path.
                for (Path companion : companions(dir, soname)) {
                    DynamicLoader.Library library = DynamicLoader.open(companion.toString(), null);
                    companions.put(companion.getFileName().toString(), library.file());
                }
                DynamicLoader.Library library = DynamicLoader.open(file.toString(), spec.probe());
                files.putAll(companions);
                files.put(soname, library.file());
                return Optional.of(library.lookup());
            } catch (DynamicLoader.LoadFailure e) {
                errors.add(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** libcublasLt for libcublas, libnvrtc-builtins for libnvrtc, of the same major version. */
    static List<Path> companions(Path dir, String soname) {
        String major = soname.substring(soname.lastIndexOf('.') + 1);
        List<Path> out = new ArrayList<>();
        if (soname.startsWith("libcublas.so.")) {
            Path lt = dir.resolve("libcublasLt.so." + major);
            if (Files.exists(lt)) {
                out.add(lt);
            }
        } else if (soname.startsWith("libnvrtc.so.")) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "libnvrtc-builtins.so." + major + "*")) {
                List<Path> builtins = new ArrayList<>();
                stream.forEach(builtins::add);
                builtins.sort(null);
                out.addAll(builtins);
            } catch (IOException e) {
                // no builtins beside it: NVRTC will say so itself when it compiles
            }
        }
        return out;
    }
}
