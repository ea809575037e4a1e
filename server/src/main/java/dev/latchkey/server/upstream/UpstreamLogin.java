package dev.latchkey.server.upstream;

import java.time.Instant;

/**
 * A login sent to an upstream provider and not yet back: found by a digest of the {@code state} sent there;
 * {@code transactionId} is the login transaction it resumes, {@code codeVerifier} and {@code nonce} what the
 * provider's answer must match.
 */
public record UpstreamLogin(String stateHash, String connection, String transactionId, String codeVerifier,
                            String nonce, Instant expiresAt) {

    @Override
    public String toString() {
        return "UpstreamLogin[" + connection + "]";
    }
}
