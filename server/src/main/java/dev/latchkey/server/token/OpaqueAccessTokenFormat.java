package dev.latchkey.server.token;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;

import java.time.Clock;
import java.time.Instant;

/**
 * Opaque access tokens for /userinfo (Auth0: issued when no audience is requested). 32 random bytes
 * (256 bits), kept only as a SHA-256 digest: a stolen table yields no usable token.
 */
public final class OpaqueAccessTokenFormat {

    /** Auth0: opaque /userinfo tokens live 7200 s from the implicit flow, 86400 s from code and hybrid. */
    public static final int IMPLICIT_LIFETIME = 7_200;
    public static final int CODE_LIFETIME = 86_400;

    private final OpaqueTokenStore store;
    private final Clock clock;

    public OpaqueAccessTokenFormat(OpaqueTokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    IssuedAccessToken issue(Authorization authorization, int lifetimeSeconds) {
        String value = RandomStrings.base64url(32);
        Instant now = clock.instant();
        store.create(new OpaqueToken(SecretHash.of(value), authorization.clientId(), authorization.userId(),
                authorization.scopes(), authorization.id(), now, now.plusSeconds(lifetimeSeconds)));
        return new IssuedAccessToken(value, lifetimeSeconds, String.join(" ", authorization.scopes()));
    }
}
