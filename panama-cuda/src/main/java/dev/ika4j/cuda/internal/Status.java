/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import dev.ika4j.cuda.bindings.cublas_h;
import dev.ika4j.cuda.bindings.cuda_h;
import dev.ika4j.cuda.bindings.curand_h;
import dev.ika4j.cuda.bindings.nvrtc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * Turns status codes into {@link CudaException}s. Names and texts come from the libraries
 * themselves when they are loaded ({@code cuGetErrorName}, {@code cublasGetStatusString}, ...);
 * otherwise, and for cuRAND, which has no such function, from the enumerators of our headers,
 * as the bindings expose them.
 */
final class Status {

    private static final Map<Integer, String> CUDA_NAMES = enumerators(cuda_h.class, "CUDA_");
    private static final Map<Integer, String> CUBLAS_NAMES = enumerators(cublas_h.class, "CUBLAS_STATUS_");
    private static final Map<Integer, String> CURAND_NAMES = enumerators(curand_h.class, "CURAND_STATUS_");
    private static final Map<Integer, String> NVRTC_NAMES = enumerators(nvrtc_h.class, "NVRTC_");

    /** cuRAND's own descriptions (curand.h documents them; the library has no string function). */
    private static final Map<String, String> CURAND_TEXT = Map.ofEntries(
            Map.entry("CURAND_STATUS_VERSION_MISMATCH", "header file and linked library version do not match"),
            Map.entry("CURAND_STATUS_NOT_INITIALIZED", "generator not initialized"),
            Map.entry("CURAND_STATUS_ALLOCATION_FAILED", "memory allocation failed"),
            Map.entry("CURAND_STATUS_TYPE_ERROR", "generator is wrong type"),
            Map.entry("CURAND_STATUS_OUT_OF_RANGE", "argument out of range"),
            Map.entry("CURAND_STATUS_LENGTH_NOT_MULTIPLE", "length requested is not a multiple of dimension"),
            Map.entry("CURAND_STATUS_DOUBLE_PRECISION_REQUIRED", "GPU does not have double precision required by MRG32k3a"),
            Map.entry("CURAND_STATUS_LAUNCH_FAILURE", "kernel launch failure"),
            Map.entry("CURAND_STATUS_PREEXISTING_FAILURE", "preexisting failure on library entry"),
            Map.entry("CURAND_STATUS_INITIALIZATION_FAILED", "initialization of CUDA failed"),
            Map.entry("CURAND_STATUS_ARCH_MISMATCH", "architecture mismatch, GPU does not support requested feature"),
            Map.entry("CURAND_STATUS_INTERNAL_ERROR", "internal library error"));

    private Status() {
    }

    static void cu(String function, int status) {
        if (status != 0) {
            throw cuError(function, status);
        }
    }

    static void cublas(String function, int status) {
        if (status != 0) {
            throw cublasError(function, status);
        }
    }

    static void curand(String function, int status) {
        if (status != 0) {
            throw curandError(function, status);
        }
    }

    static void nvrtc(String function, int status) {
        if (status != 0) {
            throw nvrtcError(function, status, null);
        }
    }

    static CudaException cuError(String function, int status) {
        return cuError(function, status, null);
    }

    /** As {@link #cuError(String, int)}, with {@code detail} (e.g. the size asked for) after the driver's text. */
    static CudaException cuError(String function, int status, String detail) {
        String name = null;
        String text = null;
        if (cuda_h.isBound()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                if (cuda_h.cuGetErrorName(status, out) == 0) {
                    name = cString(out.get(ADDRESS, 0));
                }
                if (cuda_h.cuGetErrorString(status, out) == 0) {
                    text = cString(out.get(ADDRESS, 0));
                }
            }
        }
        if (detail != null) {
            text = text == null ? detail : text + " " + detail;
        }
        return new CudaException(function, status, name != null ? name : fallback(CUDA_NAMES, status, "CUresult"), text);
    }

    static CudaException cublasError(String function, int status) {
        String name = null;
        String text = null;
        if (cublas_h.isBound()) {
            name = cString(cublas_h.cublasGetStatusName(status));
            text = cString(cublas_h.cublasGetStatusString(status));
        }
        return new CudaException(function, status,
                identifier(name, "CUBLAS_") ? name : fallback(CUBLAS_NAMES, status, "cublasStatus_t"), text);
    }

    static CudaException curandError(String function, int status) {
        String name = fallback(CURAND_NAMES, status, "curandStatus_t");
        return new CudaException(function, status, name, CURAND_TEXT.get(name));
    }

    /** NVRTC's error string is the enumerator's name; a compile failure adds the log. */
    static CudaException nvrtcError(String function, int status, String log) {
        String name = null;
        if (nvrtc_h.isBound()) {
            name = cString(nvrtc_h.nvrtcGetErrorString(status));
        }
        return new CudaException(function, status,
                identifier(name, "NVRTC_") ? name : fallback(NVRTC_NAMES, status, "nvrtcResult"), null, log);
    }

    /** Libraries answer unknown codes with prose ("NVRTC_ERROR unknown"): only take real enumerator names. */
    private static boolean identifier(String name, String prefix) {
        return name != null && name.startsWith(prefix) && name.matches("[A-Z][A-Z0-9_]*");
    }

    private static String fallback(Map<Integer, String> names, int status, String type) {
        String name = names.get(status);
        return name != null ? name : "unknown " + type;
    }

    @SuppressWarnings("restricted") // the libraries return NUL-terminated static strings
    static String cString(MemorySegment pointer) {
        if (pointer == null || pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** The header's enumerators with this prefix, value to name; the first name of a value wins. */
    private static Map<Integer, String> enumerators(Class<?> binding, String prefix) {
        Map<Integer, String> names = new HashMap<>();
        for (Method method : binding.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0
                    && method.getReturnType() == int.class && method.getName().startsWith(prefix)) {
                try {
                    names.putIfAbsent((int) method.invoke(null), method.getName());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(names);
    }
}
