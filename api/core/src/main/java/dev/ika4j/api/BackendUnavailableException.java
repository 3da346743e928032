/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

/**
 * Thrown when a backend that was asked for by name cannot be used here. The message says why in
 * one line, followed by the full detail (a library search trace, for instance) where there is one.
 */
public class BackendUnavailableException extends RuntimeException {
    private final String backend;
    private final String reason;
    private final String detail;

    public BackendUnavailableException(String backend, String reason) {
        this(backend, reason, reason);
    }

    public BackendUnavailableException(String backend, String reason, String detail) {
        super("backend '" + backend + "' unavailable: " + reason
                + (detail == null || detail.equals(reason) ? "" : "\n  detail: " + detail.replace("\n", "\n  ")));
        this.backend = backend;
        this.reason = reason;
        this.detail = detail == null ? reason : detail;
    }

    public String backend() { return backend; }

    /** Why, in one line. */
    public String reason() { return reason; }

    /** Everything behind {@link #reason()}; equal to it when there is nothing more. */
    public String detail() { return detail; }
}
