package dev.latchkey.server.registry;

/** A permission an API defines, e.g. {@code read:patients}. */
public record ApiScope(String value, String description) {
}
