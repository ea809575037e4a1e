package dev.latchkey.verifier;

import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An access token that passed every check: its claims, with helpers for scopes (space-separated
 * {@code scope}, RFC 8693 §4.2 / RFC 9068 §2.2.3) and Auth0 RBAC {@code permissions} (a string array).
 * Holds no copy of the token itself.
 */
public final class VerifiedToken {

    private final Map<String, Object> claims;
    private final String subject;
    private final String issuer;
    private final List<String> audience;
    private final Instant expiresAt;
    private final String scope;
    private final Set<String> permissions;
    /** Split from {@link #scope} on first use; racy but safe, as the set is immutable. */
    private Set<String> scopes;
    private final boolean fromUserinfo;

    private VerifiedToken(Map<String, Object> claims, String subject, String issuer, List<String> audience,
                          Instant expiresAt, String scope, Set<String> permissions, boolean fromUserinfo) {
        this.claims = Collections.unmodifiableMap(claims);
        this.subject = subject;
        this.issuer = issuer;
        this.audience = List.copyOf(audience);
        this.expiresAt = expiresAt;
        this.scope = scope;
        this.permissions = Set.copyOf(permissions);
        this.fromUserinfo = fromUserinfo;
    }

    /** A JWT access token whose claims passed {@link ClaimsCheck}. */
    static VerifiedToken ofJwt(TokenClaims checked) {
        Instant expiresAt = Instant.ofEpochSecond(Math.min(checked.expiresAt(), Instant.MAX.getEpochSecond()));
        return new VerifiedToken(checked.members(), checked.subject(), checked.issuer(), checked.audience(),
                expiresAt, checked.scope(), checked.permissions(), false);
    }

    /** An opaque token the issuer's userinfo endpoint vouched for, with its answer as the claims. */
    static VerifiedToken ofUserinfo(String issuer, Map<String, Object> userinfo) {
        return new VerifiedToken(userinfo, (String) userinfo.get("sub"), issuer, List.of(), null, null, Set.of(),
                true);
    }

    /** {@code sub}: a user id such as {@code auth0|123}, or {@code <client_id>@clients} for machine-to-machine. */
    public String subject() {
        return subject;
    }

    public String issuer() {
        return issuer;
    }

    /** {@code aud}, always as a list; empty for an opaque token checked at userinfo. */
    public List<String> audience() {
        return audience;
    }

    /** The client the token was issued to: {@code azp} (Auth0 profile) or {@code client_id} (RFC 9068). */
    public Optional<String> clientId() {
        Object value = claims.containsKey("azp") ? claims.get("azp") : claims.get("client_id");
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** {@code exp}; empty for an opaque token checked at userinfo, whose lifetime is not disclosed. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** The granted scopes; empty for an opaque token, since userinfo does not disclose them. */
    public Set<String> scopes() {
        Set<String> split = scopes;
        if (split == null) {
            split = splitScope(scope);
            scopes = split;
        }
        return split;
    }

    public boolean hasScope(String scope) {
        return scopes().contains(scope);
    }

    public boolean hasScopes(String... required) {
        return scopes().containsAll(Arrays.asList(required));
    }

    /** Auth0 RBAC {@code permissions} (APIs with "Add Permissions in the Access Token"). */
    public Set<String> permissions() {
        return permissions;
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    /**
     * Throws {@link TokenVerificationException.Reason#INSUFFICIENT_SCOPE} unless every scope is granted.
     */
    public void requireScopes(String... required) throws TokenVerificationException {
        require(scopes(), required, "The access token lacks a required scope");
    }

    /** As {@link #requireScopes}, against the {@code permissions} claim. */
    public void requirePermissions(String... required) throws TokenVerificationException {
        require(permissions, required, "The access token lacks a required permission");
    }

    /**
     * Every claim as the JSON said it (numbers as {@code Long}/{@code Double}, arrays as {@code List}), or the
     * userinfo answer for an opaque token. The map is unmodifiable; treat nested values as read-only.
     */
    public Map<String, Object> claims() {
        return claims;
    }

    /** True when this is an opaque token vouched for by the issuer's userinfo endpoint, not a JWT. */
    public boolean fromUserinfo() {
        return fromUserinfo;
    }

    private static void require(Set<String> granted, String[] required, String message)
            throws TokenVerificationException {
        List<String> wanted = List.of(required);
        if (!granted.containsAll(wanted)) {
            throw TokenVerificationException.insufficientScope(message, wanted);
        }
    }

    /** Splits a space-separated {@code scope} value; extra spaces are tolerated. */
    private static Set<String> splitScope(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        List<String> parts = new ArrayList<>();
        for (String part : scope.split(" ")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return Set.copyOf(parts);
    }

    @Override
    public String toString() {
        return "VerifiedToken[sub=" + subject + ", aud=" + audience + ", scopes=" + scopes() + "]";
    }
}
