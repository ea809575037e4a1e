package dev.latchkey.server.ui;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.upstream.UpstreamLogin;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@code state} sent to an upstream provider in its sealed form: AES-GCM under the master key (bound to
 * {@link #PURPOSE}), holding what the callback needs: the connection, the {@code nonce} and PKCE verifier, when it
 * expires, and the login transaction it resumes. That transaction is carried whole when it was never stored (a
 * login from {@code /authorize?connection=}, where no page may follow; see {@link
 * LoginTransactions#draft}), or named by its id when it was (a button of the login
 * page). So an upstream login writes no row of its own, and one from {@code /authorize?connection=} writes none
 * before it returns.
 * <p>What the store gave the earlier form, and what takes its place:
 * <ul>
 *   <li>Secrecy and integrity: only this server reads or makes a sealed state; a changed, truncated or made-up one
 *       opens to nothing ("Login expired"), as does one past its {@link UpstreamLoginPages#LIFETIME}.</li>
 *   <li>The browser: the transaction's CSRF digest rides inside, so the callback counts only in the browser whose
 *       binding cookie made it (RFC 6749 §10.12), as before.</li>
 *   <li>Single use: the state itself can come back more than once within its lifetime, but only with a code the
 *       provider issued for it. That code is single use at the provider (RFC 6749 §4.1.2) and bound to the sealed
 *       PKCE verifier (RFC 7636), and an OpenID provider's ID token to the sealed {@code nonce}: a replayed
 *       callback is refused at the provider's token endpoint ("Login expired" for {@code invalid_grant}, the
 *       provider's refusal for the client otherwise), and a stored transaction that has ended is gone. A
 *       provider with a session of its own may answer the same state again with a new code (the browser went
 *       back): that logs the same browser in again, as a new login would. What is lost against the stored form
 *       is only our own refusal of a second answer, which matters with a provider that breaks RFC 6749 by
 *       taking a code twice.</li>
 * </ul>
 * A state longer than {@link #MAX_LENGTH} (a request with a long {@code state}, {@code scope} or {@code nonce} of
 * its own) is not sent: the transaction is stored and the state names it.
 */
final class UpstreamStates {

    static final String PURPOSE = "upstream login state";
    /** The longest sealed state sent to a provider: well inside what providers and proxies take in a URL. */
    static final int MAX_LENGTH = 1536;
    private final SealedJson<Payload> sealed;

    UpstreamStates(MasterKey key) {
        this.sealed = new SealedJson<>(key, PURPOSE, Payload.class, MAX_LENGTH);
    }

    /** The sealed state of a login of stored transaction {@code login.transactionId()}. */
    String seal(UpstreamLogin login) {
        // Short whatever the request: the connection's name, two random values and an id.
        return sealed.seal(new Payload(login.connection(), login.nonce(), login.codeVerifier(),
                login.expiresAt().getEpochSecond(), login.transactionId(), null, null, null, 0, null)).orElseThrow();
    }

    /**
     * The sealed state of a login that carries the unstored transaction {@code carried} whole, or empty when it
     * would be longer than {@link #MAX_LENGTH}, or the transaction is not an authorization response.
     */
    Optional<String> sealCarrying(UpstreamLogin login, PendingLogin carried) {
        LoginTransaction tx = carried.transaction();
        if (!(tx.outcome() instanceof Outcome.AuthorizationResponse response) || tx.authenticated()) {
            return Optional.empty();
        }
        return sealed.seal(new Payload(login.connection(), login.nonce(), login.codeVerifier(),
                login.expiresAt().getEpochSecond(), null, carried.id(), tx.csrfHash(), tx.network(),
                tx.createdAt().toEpochMilli(), response.request()));
    }

    /**
     * The login a sealed {@code state} holds, with the unstored transaction it carries (empty for one that names a
     * stored transaction); empty when the state is not one this server sealed, or it expired at {@code now}.
     */
    Optional<Opened> open(String state, Instant now) {
        Optional<Payload> opened = sealed.open(state);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Payload p = opened.get();
        Instant expiresAt = Instant.ofEpochSecond(p.expiresAt());
        if (!now.isBefore(expiresAt) || p.connection() == null || p.nonce() == null || p.verifier() == null) {
            return Optional.empty();
        }
        if (p.request() == null) {
            return p.transactionId() == null ? Optional.empty() : Optional.of(new Opened(new UpstreamLogin(null,
                    p.connection(), p.transactionId(), p.verifier(), p.nonce(), expiresAt), Optional.empty()));
        }
        if (p.carriedId() == null || p.csrfHash() == null || p.network() == null) {
            return Optional.empty();
        }
        Instant createdAt = Instant.ofEpochMilli(p.createdAt());
        LoginTransaction tx = new LoginTransaction(SecretHash.of(p.carriedId()),
                new Outcome.AuthorizationResponse(p.request()), p.csrfHash(), p.network(), null, null, null,
                createdAt, createdAt.plus(LoginTransactions.LIFETIME));
        return Optional.of(new Opened(new UpstreamLogin(null, p.connection(), p.carriedId(), p.verifier(), p.nonce(),
                expiresAt), Optional.of(new PendingLogin(p.carriedId(), tx, false))));
    }

    /** An opened state: the login, and the transaction it carried when that was never stored. */
    record Opened(UpstreamLogin login, Optional<PendingLogin> carried) {
    }

    /** What a sealed state holds; short names, since it travels in URLs. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    record Payload(
            @JsonProperty("c") String connection,
            @JsonProperty("n") String nonce,
            @JsonProperty("v") String verifier,
            @JsonProperty("e") long expiresAt,
            @JsonProperty("t") String transactionId,
            @JsonProperty("i") String carriedId,
            @JsonProperty("h") String csrfHash,
            @JsonProperty("w") String network,
            @JsonProperty("a") long createdAt,
            @JsonProperty("r") CheckedAuthorization request) {
    }
}
