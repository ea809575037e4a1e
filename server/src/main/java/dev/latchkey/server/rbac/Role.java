package dev.latchkey.server.rbac;

import dev.latchkey.server.keys.RandomStrings;

import java.time.Instant;

/** A named set of API permissions that users are given together (Auth0 roles). */
public record Role(String id, String name, String description, Instant createdAt) {

    /** Auth0's role ids: {@code rol_} and 16 random alphanumerics. */
    public static String newId() {
        return "rol_" + RandomStrings.alphanumeric(16);
    }

    public Role withNameAndDescription(String newName, String newDescription) {
        return new Role(id, newName, newDescription, createdAt);
    }
}
