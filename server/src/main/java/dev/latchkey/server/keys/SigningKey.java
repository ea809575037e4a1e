package dev.latchkey.server.keys;

import com.nimbusds.jose.jwk.RSAKey;

import java.time.Instant;

/** One RSA signing key of the ring; {@code jwk} holds the private part and the self-signed x5c. */
public record SigningKey(
        String kid,
        KeyState state,
        RSAKey jwk,
        Instant createdAt,
        Instant currentSince,
        Instant currentUntil,
        Instant revokedAt) {

    public SigningKey withState(KeyState newState, Instant currentSince, Instant currentUntil, Instant revokedAt) {
        return new SigningKey(kid, newState, jwk, createdAt, currentSince, currentUntil, revokedAt);
    }
}
