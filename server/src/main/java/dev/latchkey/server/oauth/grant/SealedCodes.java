package dev.latchkey.server.oauth.grant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.token.Authorization;

import java.time.Instant;
import java.util.Optional;

/**
 * Authorization codes of the sealed form: what a code is bound to (its authorization, redirect URI, PKCE challenge,
 * nonce, validity) sealed with AES-GCM under the master key, bound to {@link #PURPOSE}. The code has no row of its
 * own: its authorization is written at the same time anyway, and the code's single use is a column of that row
 * ({@link dev.latchkey.server.token.AuthorizationStore#spendCode}). Only this server reads or makes one; a changed,
 * truncated or made-up code opens to nothing, as an unknown code. Nothing stored yields a usable code.
 * <p>A code longer than {@link #MAX_LENGTH} (a request with a long {@code redirect_uri} or {@code nonce}) is not
 * handed out: that code takes the row form, as do all codes while a node of an earlier release uses the database.
 */
public final class SealedCodes {

    static final String PURPOSE = "authorization code";
    /** The longest sealed code handed out; a client may keep codes in a column of its own. */
    public static final int MAX_LENGTH = 512;
    private final SealedJson<Payload> sealed;

    public SealedCodes(MasterKey key) {
        this.sealed = new SealedJson<>(key, PURPOSE, Payload.class, MAX_LENGTH);
    }

    /** The sealed code for {@code code}'s bindings, or empty when it would be longer than {@link #MAX_LENGTH}. */
    public Optional<String> seal(AuthorizationCode code) {
        return sealed.seal(new Payload(code.authorizationId(), code.redirectUri(), code.redirectUriGiven(),
                code.codeChallenge(), code.codeChallengeMethod(), code.nonce(), code.validUntil().toEpochMilli()));
    }

    /** What a sealed code is bound to; empty for anything this server did not seal as a code. */
    Optional<Payload> open(String value) {
        return sealed.open(value).filter(p -> p.authorizationId() != null && p.validUntil() != 0);
    }

    /** What a sealed code holds; short names, since it travels in URLs. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    record Payload(
            @JsonProperty("a") String authorizationId,
            @JsonProperty("r") String redirectUri,
            @JsonProperty("g") boolean redirectUriGiven,
            @JsonProperty("p") String codeChallenge,
            @JsonProperty("m") String codeChallengeMethod,
            @JsonProperty("n") String nonce,
            @JsonProperty("v") long validUntil) {

        /** The code as the grant checks it: these bindings, and what its authorization {@code a} holds. */
        AuthorizationCode with(Authorization a, Instant spentAt) {
            return new AuthorizationCode(null, a.clientId(), redirectUri, codeChallenge, codeChallengeMethod, nonce,
                    a.scopes(), a.audience(), a.userId(), a.authTime(), a.sid(), a.createdAt(),
                    Instant.ofEpochMilli(validUntil), spentAt, a.expiresAt(), a.id(), a.acr(), redirectUriGiven);
        }
    }
}
