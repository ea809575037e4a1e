package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A user's access token at an upstream provider, fresh (Auth0 Token Vault, its refresh token exchange), in this
 * order:
 * <ol>
 *   <li>the user's identity at the connection ({@code login_hint}: the one with that subject; else the most
 *       recently used); none, or one without tokens, is {@link Answer.Missing};</li>
 *   <li>a stored access token with more than {@link #MARGIN} left is answered as it is;</li>
 *   <li>otherwise, with a refresh token, the refresh is claimed ({@link IdpTokenStore#claimRefresh}) so that one
 *       caller at a time, on any node, spends it: a provider that rotates refresh tokens (RFC 9700 §4.14.2) would
 *       take a second use of the old one as theft. The others wait for that refresh and answer its token;</li>
 *   <li>the provider's new tokens are stored (a rotated refresh token replaces the old) and answered;</li>
 *   <li>without a refresh token, a stored token not yet expired is answered; an expired one is Missing.</li>
 * </ol>
 * The provider refusing the refresh ({@code invalid_grant}) is Missing: the user must log in through the connection
 * again. A provider that cannot be reached or answers badly is {@link Answer.Unavailable}.
 */
public final class IdpTokenVault {

    /** A stored access token with less than this left is refreshed first, so that it does not die in flight. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    /** How long a caller waits for another's refresh before it is told to retry. */
    static final Duration MAX_WAIT = Duration.ofSeconds(1);
    /** How often a caller waiting for another's refresh looks again. */
    static final Duration POLL = Duration.ofMillis(50);
    /** A claim lasts the provider's deadline plus this, so that it outlives the refresh it covers. */
    static final Duration CLAIM_SLACK = Duration.ofSeconds(5);

    /** Spends a refresh token at the connection's provider. */
    @FunctionalInterface
    public interface ProviderRefresh {
        UpstreamTokenRefresh.Refreshed refresh(Connection connection, String refreshToken);
    }

    /** What the vault answers. */
    public sealed interface Answer {

        /** A working access token; {@code expiresIn} and {@code scope} are null when unknown. */
        record Token(String accessToken, Long expiresIn, String scope) implements Answer {

            @Override
            public String toString() {
                return "Token[expiresIn=" + expiresIn + "]";
            }
        }

        /** No token can be had without the user logging in through the connection again. */
        record Missing(String description) implements Answer {
        }

        /** The provider cannot refresh right now; the caller may try again later. */
        record Unavailable(String description) implements Answer {
        }
    }

    private final IdpTokenStore store;
    private final ProviderRefresh provider;
    private final Clock clock;

    public IdpTokenVault(IdpTokenStore store, ProviderRefresh provider, Clock clock) {
        this.store = store;
        this.provider = provider;
        this.clock = clock;
    }

    /** True when the vault can refresh tokens of this connection's strategy. */
    public boolean supports(Connection connection) {
        return UpstreamStrategies.refreshes(connection.strategy());
    }

    public Answer accessToken(String userId, Connection connection, String loginHint) {
        List<IdpTokenStore.IdpTokens> identities = store.tokensOf(userId, connection.name());
        Optional<IdpTokenStore.IdpTokens> chosen = identities.stream()
                .filter(identity -> loginHint == null || identity.subject().equals(loginHint)).findFirst();
        if (chosen.isEmpty() || chosen.get().accessToken() == null && chosen.get().refreshToken() == null) {
            return new Answer.Missing("Federated connection Refresh Token not found.");
        }
        IdpTokenStore.IdpTokens tokens = chosen.get();
        // Three rounds at most: a refresh of another caller that ended without a token (the provider was down)
        // is tried once more by this one, and a row another caller refreshed while this one read it is read again.
        for (int round = 0; round < 3; round++) {
            Instant now = clock.instant();
            if (fresh(tokens, now)) {
                return stored(tokens, now);
            }
            if (tokens.refreshToken() == null) {
                return usable(tokens, now) ? stored(tokens, now) : new Answer.Missing("The identity provider's "
                        + "access token has expired and it gave no refresh token: the user must log in again "
                        + "through connection " + connection.name() + ".");
            }
            Instant until = now.plus(OidcProviders.timeout(connection)).plus(CLAIM_SLACK);
            if (store.claimRefresh(tokens.connection(), tokens.subject(), now, until)) {
                // What was read before the claim may be what another caller has refreshed since (its claim ended
                // in between): the row is read again under the claim, so a rotated refresh token is never spent.
                // Still this user's: a link or unlink in between may have moved the identity to another.
                Optional<IdpTokenStore.IdpTokens> current = store.tokens(tokens.connection(), tokens.subject())
                        .filter(row -> row.userId().equals(userId));
                if (current.isEmpty() || current.get().refreshToken() == null || fresh(current.get(), now)) {
                    store.releaseClaim(tokens.connection(), tokens.subject(), until);
                    tokens = current.orElse(null);
                    if (tokens == null) {
                        return new Answer.Missing("Federated connection Refresh Token not found.");
                    }
                    continue;
                }
                return refresh(connection, current.get(), until);
            }
            tokens = awaitRefresh(connection, tokens).filter(current -> current.userId().equals(userId)).orElse(null);
            if (tokens == null) {
                return new Answer.Missing("Federated connection Refresh Token not found.");
            }
            if (tokens.refreshClaimedUntil() != null && tokens.refreshClaimedUntil().isAfter(clock.instant())
                    && !fresh(tokens, clock.instant())) {
                return new Answer.Unavailable("Another refresh of this user's token at connection "
                        + connection.name() + " is in progress; retry.");
            }
        }
        Instant now = clock.instant();
        return fresh(tokens, now) ? stored(tokens, now) : new Answer.Unavailable(
                "Another refresh of this user's token at connection " + connection.name() + " is in progress; retry.");
    }

    private Answer refresh(Connection connection, IdpTokenStore.IdpTokens tokens, Instant claimedUntil) {
        UpstreamTokenRefresh.Refreshed refreshed;
        try {
            refreshed = provider.refresh(connection, tokens.refreshToken());
        } catch (UpstreamException e) {
            store.releaseClaim(tokens.connection(), tokens.subject(), claimedUntil);
            if (e.grantRefused()) {
                return new Answer.Missing("The identity provider refused the stored refresh token: the user must "
                        + "log in again through connection " + connection.name() + ".");
            }
            return new Answer.Unavailable(e.getMessage());
        }
        Instant now = clock.instant();
        Instant expiresAt = refreshed.expiresIn() == null ? null : now.plusSeconds(refreshed.expiresIn());
        // If a login replaced the row meanwhile, its tokens are newer and stay; this one still works for now.
        store.saveRefreshed(tokens.connection(), tokens.subject(), claimedUntil, new IdpTokenStore.Refreshed(
                refreshed.accessToken(), refreshed.refreshToken(), refreshed.expiresIn(), expiresAt, now));
        return new Answer.Token(refreshed.accessToken(), refreshed.expiresIn(), refreshed.scope());
    }

    /**
     * Waits, up to {@link #MAX_WAIT}, until another caller's claim on the refresh has ended. Not the provider's whole
     * deadline: each waiter holds a request thread, and a slow provider must not let one client's parallel
     * exchanges park them all; past the wait the caller is told to retry.
     */
    private Optional<IdpTokenStore.IdpTokens> awaitRefresh(Connection connection, IdpTokenStore.IdpTokens tokens) {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        Optional<IdpTokenStore.IdpTokens> current = Optional.of(tokens);
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = store.tokens(tokens.connection(), tokens.subject());
            Instant claim = current.map(IdpTokenStore.IdpTokens::refreshClaimedUntil).orElse(null);
            if (claim == null || !claim.isAfter(clock.instant())) {
                break;
            }
        }
        return current;
    }

    private static boolean fresh(IdpTokenStore.IdpTokens tokens, Instant now) {
        // A provider that gave no expires_in issued a token that lives until it is revoked.
        return tokens.accessToken() != null
                && (tokens.expiresAt() == null || tokens.expiresAt().isAfter(now.plus(MARGIN)));
    }

    private static boolean usable(IdpTokenStore.IdpTokens tokens, Instant now) {
        return tokens.accessToken() != null && (tokens.expiresAt() == null || tokens.expiresAt().isAfter(now));
    }

    private static Answer stored(IdpTokenStore.IdpTokens tokens, Instant now) {
        return new Answer.Token(tokens.accessToken(), tokens.expiresAt() == null ? null
                : Duration.between(now, tokens.expiresAt()).toSeconds(), null);
    }
}
