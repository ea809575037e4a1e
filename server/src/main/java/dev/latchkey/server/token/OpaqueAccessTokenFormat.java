package dev.latchkey.server.token;

import dev.latchkey.server.Rollout;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Opaque access tokens for /userinfo (Auth0: issued when no audience is requested). Sealed ({@link
 * SealedOpaqueTokens}: nothing stored) once every node reads that form; else 32 random bytes (256 bits), kept only
 * as a SHA-256 digest: a stolen table yields no usable token.
 */
public final class OpaqueAccessTokenFormat {

    /** Auth0: opaque /userinfo tokens live 7200 s from the implicit flow, 86400 s from code and hybrid. */
    public static final int IMPLICIT_LIFETIME = 7_200;
    public static final int CODE_LIFETIME = 86_400;

    private final OpaqueTokenStore store;
    private final SealedOpaqueTokens sealed;
    private final Rollout forms;
    private final Clock clock;

    public OpaqueAccessTokenFormat(OpaqueTokenStore store, SealedOpaqueTokens sealed, Rollout forms, Clock clock) {
        this.store = store;
        this.sealed = sealed;
        this.forms = forms;
        this.clock = clock;
    }

    IssuedAccessToken issue(Authorization authorization, int lifetimeSeconds) {
        Instant now = clock.instant();
        Optional<String> sealedValue = forms.newFormsReadEverywhere()
                ? sealed.seal(new SealedOpaqueTokens.Contents(authorization.id(), authorization.scopes(), now,
                        now.plusSeconds(lifetimeSeconds)))
                : Optional.empty();
        if (sealedValue.isPresent()) {
            return new IssuedAccessToken(sealedValue.get(), lifetimeSeconds, String.join(" ", authorization.scopes()));
        }
        String value = RandomStrings.base64url(32);
        store.create(new OpaqueToken(SecretHash.of(value), authorization.clientId(), authorization.userId(),
                authorization.scopes(), authorization.id(), now, now.plusSeconds(lifetimeSeconds)));
        return new IssuedAccessToken(value, lifetimeSeconds, String.join(" ", authorization.scopes()));
    }
}
