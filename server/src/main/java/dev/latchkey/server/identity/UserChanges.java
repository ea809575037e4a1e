package dev.latchkey.server.identity;

import java.util.Map;

/**
 * A partial update of a user; null means "leave as is". {@code userMetadata} and {@code appMetadata}
 * are merged into the stored objects at the top level, a null value removing its key (Auth0's
 * PATCH semantics). {@code address} replaces the stored one whole; an empty address removes it.
 */
public record UserChanges(String email, Boolean emailVerified, String password, String name, String givenName,
                          String familyName, String nickname, String picture, Map<String, Object> userMetadata,
                          Map<String, Object> appMetadata, Boolean blocked, String phoneNumber,
                          Boolean phoneVerified, PostalAddress address) {

    @Override
    public String toString() {
        return "UserChanges[email=" + email + ", password=" + (password == null ? "unchanged" : "changed") + "]";
    }
}
