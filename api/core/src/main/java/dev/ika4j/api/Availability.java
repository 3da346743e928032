/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Objects;

/**
 * Whether a backend can run here and, if not, why.
 *
 * @param available whether the backend can run here
 * @param reason    one line, shown to users verbatim (in {@code ./ika backends}, in logs)
 * @param detail    everything behind the reason, for whoever has to fix it (a library search
 *                  trace, for instance); equal to {@code reason} when there is nothing more
 */
public record Availability(boolean available, String reason, String detail) {
    public Availability {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** An availability whose reason is all there is to say. */
    public Availability(boolean available, String reason) {
        this(available, reason, reason);
    }

    public static Availability yes(String detail) { return new Availability(true, Objects.requireNonNull(detail, "detail")); }

    public static Availability yes(String reason, String detail) { return new Availability(true, reason, detail); }

    public static Availability no(String reason) { return new Availability(false, reason); }

    /** Unavailable, with a one-line reason and the full story behind it. */
    public static Availability no(String reason, String detail) { return new Availability(false, reason, detail); }

    /** Whether {@link #detail()} says more than {@link #reason()}. */
    public boolean hasDetail() { return !detail.equals(reason); }
}
