package dev.latchkey.server.store;

/** A unique key (an API identifier, a client grant's client and audience) is already taken. */
public class DuplicateKeyException extends RuntimeException {
    public DuplicateKeyException(String message) {
        super(message);
    }
}
