package dev.latchkey.server.token;

import java.util.Optional;

/** The storage opaque access tokens need: one indexed lookup by digest. */
public interface OpaqueTokenStore {

    void create(OpaqueToken token);

    Optional<OpaqueToken> find(String tokenHash);

    /** Deletes one token (RFC 7009); true when it existed. */
    boolean delete(String tokenHash);
}
