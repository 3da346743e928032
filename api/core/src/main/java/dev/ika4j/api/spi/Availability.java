package dev.ika4j.api.spi;

import java.util.Objects;

/** Whether a backend can run here and, if not, why (shown to users verbatim). */
public record Availability(boolean available, String reason) {
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    public static Availability yes(String detail) { return new Availability(true, detail); }

    public static Availability no(String reason) { return new Availability(false, reason); }
}
