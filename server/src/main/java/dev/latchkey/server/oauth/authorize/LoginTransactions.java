package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Authorizations waiting for the login or consent page. Each has a random id (in the page URL)
 * and a random CSRF token that the browser holds in a cookie and every form posts back; both are
 * stored only as digests. A form counts only when its token equals the cookie and the stored
 * digest, compared in constant time, so a page cannot be posted from another site or browser.
 */
public final class LoginTransactions {

    /** Time a user has to finish logging in. */
    public static final Duration LIFETIME = Duration.ofMinutes(30);
    /**
     * Open transactions one network may hold: each is a stored row for {@link #LIFETIME}, so without
     * a cap anyone could fill the disk through /authorize. Behind a proxy, list it in the trusted
     * proxies, or every browser counts as the proxy's address.
     */
    public static final int MAX_OPEN_PER_NETWORK = 100;

    private final LoginTransactionStore store;
    private final Clock clock;

    public LoginTransactions(LoginTransactionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** True when {@code network} holds {@link #MAX_OPEN_PER_NETWORK} open transactions already. */
    public boolean tooManyOpen(String network) {
        return store.countOpen(network, clock.instant()) >= MAX_OPEN_PER_NETWORK;
    }

    /** Starts a transaction for a browser from {@code network} (an {@link dev.latchkey.server.identity.IpNetwork}). */
    public Started start(CheckedAuthorization request, Authentication authentication, String network) {
        String id = RandomStrings.base64url(24);
        String csrf = RandomStrings.base64url(32);
        Instant now = clock.instant();
        LoginTransaction tx = new LoginTransaction(SecretHash.of(id), request, SecretHash.of(csrf), network, null,
                null, null, now, now.plus(LIFETIME));
        store.create(tx);
        if (authentication != null) {
            tx = authenticated(tx, authentication);
        }
        return new Started(id, csrf, tx);
    }

    public Optional<LoginTransaction> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        return store.find(SecretHash.of(id)).filter(tx -> !tx.expired(clock.instant()));
    }

    public LoginTransaction authenticated(LoginTransaction tx, Authentication authentication) {
        store.authenticated(tx.idHash(), authentication.userId(), authentication.authTime(), authentication.sid());
        return new LoginTransaction(tx.idHash(), tx.request(), tx.csrfHash(), tx.network(), authentication.userId(),
                authentication.authTime(), authentication.sid(), tx.createdAt(), tx.expiresAt());
    }

    public void finish(LoginTransaction tx) {
        store.delete(tx.idHash());
    }

    /** True when the posted token matches the browser's cookie and the transaction. */
    public static boolean csrfValid(LoginTransaction tx, String posted, String cookie) {
        if (posted == null || cookie == null) {
            return false;
        }
        boolean sameAsCookie = MessageDigest.isEqual(posted.getBytes(StandardCharsets.UTF_8),
                cookie.getBytes(StandardCharsets.UTF_8));
        return SecretHash.matches(posted, tx.csrfHash()) & sameAsCookie;
    }

    /** A new transaction: the id for URLs and the CSRF token for the cookie and forms. */
    public record Started(String id, String csrf, LoginTransaction transaction) {
    }
}
