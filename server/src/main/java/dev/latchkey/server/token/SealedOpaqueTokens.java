package dev.latchkey.server.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedJson;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Opaque {@code /userinfo} access tokens of the sealed form: the authorization they come from, their scopes and
 * lifetime, sealed with AES-GCM under the master key (bound to {@link #PURPOSE}). Nothing is stored when one is
 * issued; it stands while its authorization does ({@link AuthorizationLookup}), so revoking the authorization (a
 * logout, a blocked user, a revoked grant) ends it, as it ends a row-form token. Only this server reads or makes
 * one: a changed or made-up value opens to nothing, and nothing stored yields a usable token. It holds no dot, so
 * no validator takes it for a JWT, and its content is unreadable to the client, as an opaque token's should be.
 * <p>A token longer than {@link #MAX_LENGTH} (very many scopes) takes the row form instead, as do all of them
 * while a node of an earlier release uses the database.
 */
public final class SealedOpaqueTokens {

    static final String PURPOSE = "opaque access token";
    /** The longest sealed token handed out. */
    static final int MAX_LENGTH = 1024;
    private final SealedJson<Payload> sealed;

    public SealedOpaqueTokens(MasterKey key) {
        this.sealed = new SealedJson<>(key, PURPOSE, Payload.class, MAX_LENGTH);
    }

    /** What a sealed token says: its authorization, scopes and lifetime. */
    public record Contents(String authorizationId, List<String> scopes, Instant issuedAt, Instant expiresAt) {
    }

    Optional<String> seal(Contents contents) {
        return sealed.seal(new Payload(contents.authorizationId(), String.join(" ", contents.scopes()),
                contents.issuedAt().getEpochSecond(), contents.expiresAt().getEpochSecond()));
    }

    /** What a sealed token says; empty for anything this server did not seal as an opaque access token. */
    public Optional<Contents> open(String value) {
        return sealed.open(value).filter(p -> p.authorizationId() != null && p.scope() != null)
                .map(p -> new Contents(p.authorizationId(),
                        p.scope().isEmpty() ? List.of() : Arrays.asList(p.scope().split(" ")),
                        Instant.ofEpochSecond(p.issuedAt()), Instant.ofEpochSecond(p.expiresAt())));
    }

    /** Short names: the token travels in every call to {@code /userinfo}. */
    record Payload(
            @JsonProperty("a") String authorizationId,
            @JsonProperty("s") String scope,
            @JsonProperty("i") long issuedAt,
            @JsonProperty("e") long expiresAt) {
    }
}
