/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code dlopen}/{@code dlsym}/{@code dlerror}/{@code dladdr} from the C library, so that a
 * library that fails to load is reported with the loader's own words ({@code SymbolLookup
 * .libraryLookup} only says "Cannot open library") and a library found through the loader path
 * can be traced back to its file. Where the C library lacks them (not glibc), falls back to
 * {@link SymbolLookup#libraryLookup(String, Arena)}.
 */
@SuppressWarnings("restricted") // this class exists to load native libraries
final class DynamicLoader {

    /** Resolve every symbol now, so a missing dependency fails here and not at first call. */
    private static final int RTLD_NOW = 0x2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle DLOPEN = find("dlopen", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle DLERROR = find("dlerror", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle DLSYM = find("dlsym", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle DLADDR = find("dladdr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    /** {@code Dl_info}: four pointers, the first being the file name. */
    private static final MemoryLayout DL_INFO = MemoryLayout.sequenceLayout(4, ADDRESS);

    private DynamicLoader() {
    }

    /** An open library: its symbols, and the file the loader picked. */
    record Library(SymbolLookup lookup, String file) {
    }

    /** Thrown with the loader's error text. */
    static final class LoadFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoadFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Opens {@code nameOrPath} (a path, or a bare soname for the loader's search path) and checks
     * that it exports {@code probeSymbol} (unless null), which also tells us which file was loaded.
     */
    static Library open(String nameOrPath, String probeSymbol) throws LoadFailure {
        SymbolLookup lookup = DLOPEN != null ? dlopen(nameOrPath) : libraryLookup(nameOrPath);
        if (probeSymbol == null) {
            return new Library(lookup, nameOrPath);
        }
        MemorySegment probe = lookup.find(probeSymbol).orElseThrow(
                () -> new LoadFailure(nameOrPath + " does not export " + probeSymbol));
        return new Library(lookup, fileOf(probe).orElse(nameOrPath));
    }

    /** The file that defines {@code address}, per {@code dladdr}. */
    static Optional<String> fileOf(MemorySegment address) {
        if (DLADDR == null) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(DL_INFO);
            int found = (int) DLADDR.invokeExact(address, info);
            MemorySegment name = info.get(ADDRESS, 0);
            if (found == 0 || name.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            return Optional.of(cString(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static SymbolLookup dlopen(String nameOrPath) throws LoadFailure {
        MemorySegment handle;
        try (Arena arena = Arena.ofConfined()) {
            handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(nameOrPath), RTLD_NOW);
            if (handle.equals(MemorySegment.NULL)) {
                MemorySegment error = (MemorySegment) DLERROR.invokeExact();
                throw new LoadFailure(error.equals(MemorySegment.NULL)
                        ? "cannot open " + nameOrPath : cString(error));
            }
        } catch (LoadFailure e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
        // Never dlclose'd: downcall handles into the library live as long as the JVM.
        MemorySegment library = handle;
        return symbol -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment address = (MemorySegment) DLSYM.invokeExact(library, arena.allocateFrom(symbol));
                return address.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(address);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        };
    }

    private static SymbolLookup libraryLookup(String nameOrPath) throws LoadFailure {
        try {
            return SymbolLookup.libraryLookup(nameOrPath, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LoadFailure(e.getMessage());
        }
    }

    private static MethodHandle find(String name, FunctionDescriptor descriptor) {
        return LINKER.defaultLookup().find(name).map(address -> LINKER.downcallHandle(address, descriptor))
                .orElse(null);
    }

    private static String cString(MemorySegment pointer) {
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
