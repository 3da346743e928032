package dev.ika4j.cuda.internal;

/**
 * The CUDA libraries cannot be used on this machine; {@link #reason()} says exactly why, in
 * words fit for a user (which library was missing where, with the loader's own error text).
 */
public class CudaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public CudaUnavailableException(String reason) {
        this(reason, null);
    }

    public CudaUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
