package dev.latchkey.server.interaction;

/**
 * A login transaction the browser is in, with its id as the page URLs carry it; {@code stored} is false for one
 * still only a {@link LoginTransactions#draft} (carried by the browser, sealed), which no page has needed yet.
 */
public record PendingLogin(String id, LoginTransaction transaction, boolean stored) {

    /** A stored transaction. */
    public PendingLogin(String id, LoginTransaction transaction) {
        this(id, transaction, true);
    }
}
