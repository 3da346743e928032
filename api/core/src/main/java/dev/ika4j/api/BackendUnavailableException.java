package dev.ika4j.api;

/** Thrown when a backend that was asked for by name cannot be used here; the message says why. */
public class BackendUnavailableException extends RuntimeException {
    private final String backend;
    private final String reason;

    public BackendUnavailableException(String backend, String reason) {
        super("backend '" + backend + "' unavailable: " + reason);
        this.backend = backend;
        this.reason = reason;
    }

    public String backend() { return backend; }

    public String reason() { return reason; }
}
