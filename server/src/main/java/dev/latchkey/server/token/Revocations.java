package dev.latchkey.server.token;

import java.time.Clock;

/**
 * Revokes authorizations with everything hanging from them (RFC 7009 §2.1, RFC 6749 §10.4), then
 * makes every node forget the revoked opaque tokens and authorizations at once: here directly,
 * elsewhere through the {@link RevocationBus}.
 */
public final class Revocations {

    private final AuthorizationStore store;
    private final OpaqueTokenLookup opaqueTokens;
    private final AuthorizationLookup authorizations;
    private final RevocationBus bus;
    private final Clock clock;

    public Revocations(AuthorizationStore store, OpaqueTokenLookup opaqueTokens, AuthorizationLookup authorizations,
                       RevocationBus bus, Clock clock) {
        this.store = store;
        this.opaqueTokens = opaqueTokens;
        this.authorizations = authorizations;
        this.bus = bus;
        this.clock = clock;
        bus.subscribe(this::forget, this::forgetAll);
    }

    public AuthorizationStore.Revoked authorization(String id) {
        return announce(store.revoke(id, clock.instant()));
    }

    /** A user blocked, deleted or given a new password loses every authorization. */
    public AuthorizationStore.Revoked user(String userId) {
        return announce(store.revokeUser(userId, clock.instant()));
    }

    /** Auth0's grant: the user, the application and the API. */
    public AuthorizationStore.Revoked grant(String userId, String clientId, String audience) {
        return announce(store.revokeGrant(userId, clientId, audience, clock.instant()));
    }

    public AuthorizationStore.Revoked session(String sid) {
        return announce(store.revokeSession(sid, clock.instant()));
    }

    /** Drops a single opaque token from the caches (it was deleted on its own). */
    public void opaqueToken(String tokenHash) {
        announce(new AuthorizationStore.Revoked(java.util.List.of(), java.util.List.of(tokenHash)));
    }

    private AuthorizationStore.Revoked announce(AuthorizationStore.Revoked revoked) {
        if (!revoked.authorizationIds().isEmpty() || !revoked.opaqueTokenHashes().isEmpty()) {
            forget(revoked);
            bus.publish(revoked);
        }
        return revoked;
    }

    private void forgetAll() {
        opaqueTokens.forgetAll();
        authorizations.forgetAll();
    }

    private void forget(AuthorizationStore.Revoked revoked) {
        opaqueTokens.forget(revoked.opaqueTokenHashes());
        authorizations.forget(revoked.authorizationIds());
    }
}
