package dev.latchkey.server.store;

/** The database cannot be reached or answered with an error the caller cannot act on. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
