/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.error;

import java.util.Set;

/**
 * A CUDA, cuBLAS, cuRAND or NVRTC call returned an error status. The message names the
 * function, the status name, its numeric code and the library's text for it, e.g.
 * {@code cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory}; NVRTC compile errors
 * carry the compiler log on the following lines.
 */
public class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private static final Set<String> OUT_OF_MEMORY = Set.of(
            "CUDA_ERROR_OUT_OF_MEMORY", "CUBLAS_STATUS_ALLOC_FAILED",
            "CURAND_STATUS_ALLOCATION_FAILED", "NVRTC_ERROR_OUT_OF_MEMORY");

    private final String function;
    private final int code;
    private final String codeName;
    private final String log;

    public CudaException(String function, int code, String codeName, String text) {
        this(function, code, codeName, text, null);
    }

    public CudaException(String function, int code, String codeName, String text, String log) {
        super(format(function, code, codeName, text, log));
        this.function = function;
        this.code = code;
        this.codeName = codeName;
        this.log = log == null ? "" : log.strip();
    }

    /** The native function that failed, by its exported symbol name. */
    public String function() {
        return function;
    }

    /** The status the library returned. */
    public int code() {
        return code;
    }

    /** The status's enumerator name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String codeName() {
        return codeName;
    }

    /** The NVRTC compiler log, or empty. */
    public String log() {
        return log;
    }

    /** Whether the library ran out of device (or host) memory; the caller may retry smaller. */
    public boolean isOutOfMemory() {
        return OUT_OF_MEMORY.contains(codeName);
    }

    static String format(String function, int code, String codeName, String text, String log) {
        StringBuilder message = new StringBuilder()
                .append(function).append(": ").append(codeName).append(" (").append(code).append(')');
        if (text != null && !text.isBlank() && !text.equals(codeName)) {
            message.append(": ").append(text.strip());
        }
        if (log != null && !log.isBlank()) {
            message.append('\n').append(log.strip());
        }
        return message.toString();
    }
}
