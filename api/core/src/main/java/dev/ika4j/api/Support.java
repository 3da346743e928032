/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Objects;

/**
 * Whether a backend can compute a call, and if not, why: the answer of
 * {@link AttentionBackend#supports}. A call the backend does not support fails with an
 * {@link UnsupportedOperationException} whose message is this {@link #reason()}, so asking first
 * and calling give the same words.
 *
 * @param supported whether the backend computes the call
 * @param reason    why not (names the backend and what it lacks); empty when supported
 */
public record Support(boolean supported, String reason) {
    private static final Support YES = new Support(true, "");

    public Support {
        Objects.requireNonNull(reason, "reason");
        if (!supported && reason.isBlank()) throw new IllegalArgumentException("an unsupported call needs a reason");
    }

    /** Supported. */
    public static Support yes() {
        return YES;
    }

    /** Not supported, because of {@code reason}. */
    public static Support no(String reason) {
        return new Support(false, reason);
    }

    /**
     * Returns normally when supported.
     *
     * @throws UnsupportedOperationException with {@link #reason()} when not
     */
    public void orThrow() {
        if (!supported) throw new UnsupportedOperationException(reason);
    }

    /** This answer if it is "no", else {@code next}: for checks made in order, first refusal wins. */
    public Support and(Support next) {
        Objects.requireNonNull(next, "next");
        return supported ? next : this;
    }
}
