package dev.latchkey.server.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.server.keys.MasterKey;

import java.io.IOException;
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
    /** Every token of the row form: 32 random bytes in base64url. A sealed one is longer. */
    private static final int ROW_FORM_LENGTH = 43;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final MasterKey key;

    public SealedOpaqueTokens(MasterKey key) {
        this.key = key;
    }

    /** What a sealed token says: its authorization, scopes and lifetime. */
    public record Contents(String authorizationId, List<String> scopes, Instant issuedAt, Instant expiresAt) {
    }

    Optional<String> seal(Contents contents) {
        Payload payload = new Payload(contents.authorizationId(), String.join(" ", contents.scopes()),
                contents.issuedAt().getEpochSecond(), contents.expiresAt().getEpochSecond());
        String sealed;
        try {
            sealed = key.sealForTransit(JSON.writeValueAsBytes(payload), PURPOSE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an opaque access token", e);
        }
        return sealed.length() <= MAX_LENGTH ? Optional.of(sealed) : Optional.empty();
    }

    /** True for a token of the row form, found by its digest. */
    public static boolean rowForm(String value) {
        return value.length() == ROW_FORM_LENGTH;
    }

    /** What a sealed token says; empty for anything this server did not seal as an opaque access token. */
    public Optional<Contents> open(String value) {
        if (value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Optional<byte[]> plain = key.openFromTransit(value, PURPOSE);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try {
            Payload p = JSON.readValue(plain.get(), Payload.class);
            if (p.authorizationId() == null || p.scope() == null) {
                return Optional.empty();
            }
            List<String> scopes = p.scope().isEmpty() ? List.of() : Arrays.asList(p.scope().split(" "));
            return Optional.of(new Contents(p.authorizationId(), scopes, Instant.ofEpochSecond(p.issuedAt()),
                    Instant.ofEpochSecond(p.expiresAt())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Short names: the token travels in every call to {@code /userinfo}. */
    record Payload(
            @JsonProperty("a") String authorizationId,
            @JsonProperty("s") String scope,
            @JsonProperty("i") long issuedAt,
            @JsonProperty("e") long expiresAt) {
    }
}
