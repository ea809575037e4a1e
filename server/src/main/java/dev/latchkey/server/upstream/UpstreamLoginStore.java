package dev.latchkey.server.upstream;

import java.time.Instant;
import java.util.Optional;

/** The storage logins at upstream providers need. */
public interface UpstreamLoginStore {

    void create(UpstreamLogin login);

    /**
     * Takes the login out of the store: of callbacks racing with the same state, on any node, exactly one
     * gets it (single use, RFC 9700 §4.7 / RFC 6749 §10.12). Expired ones are not answered.
     */
    Optional<UpstreamLogin> consume(String stateHash, Instant now);
}
