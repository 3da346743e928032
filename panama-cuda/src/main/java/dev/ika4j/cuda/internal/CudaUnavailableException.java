/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

/**
 * The CUDA libraries cannot be used on this machine. {@link #summary()} says why in one line for
 * users ("no NVIDIA driver: libcuda.so.1 not found; see docs/gpu.md"); {@link #reason()} says
 * exactly why (which library was missing where, with the loader's own error text).
 */
public class CudaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String summary;
    private final String reason;

    public CudaUnavailableException(String reason) {
        this(reason, reason, null);
    }

    public CudaUnavailableException(String reason, Throwable cause) {
        this(reason, reason, cause);
    }

    public CudaUnavailableException(String summary, String reason, Throwable cause) {
        super(reason, cause);
        this.summary = summary;
        this.reason = reason;
    }

    /** Why, in one line. */
    public String summary() {
        return summary;
    }

    /** Why, in full: every library not found, the folders searched and the loader's errors. */
    public String reason() {
        return reason;
    }
}
