package dev.latchkey.server.registry;

import dev.latchkey.server.keys.SecretHash;

/**
 * A client secret as stored: its SHA-256 digest, checked on every token request, and a copy
 * sealed with the master key, opened only when the Management API shows the secret.
 */
public record ClientSecret(String sha256Hex, String sealed) {

    public boolean matches(String presented) {
        return SecretHash.matches(presented, sha256Hex);
    }
}
