package dev.latchkey.server.token;

import java.util.Optional;

/** The storage opaque access tokens need: one indexed lookup by digest. */
public interface OpaqueTokenStore {

    void create(OpaqueToken token);

    Optional<OpaqueToken> find(String tokenHash);

    /** Revokes every token issued from the code; returns the digests revoked. */
    java.util.List<String> revokeIssuedFrom(String codeHash);
}
