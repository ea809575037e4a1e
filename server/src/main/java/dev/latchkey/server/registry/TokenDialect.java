package dev.latchkey.server.registry;

import java.util.Arrays;
import java.util.Optional;

/**
 * The access-token profile of an API (Auth0's {@code token_dialect}): the Auth0 profile or
 * RFC 9068, each with or without the {@code permissions} claim.
 */
public enum TokenDialect {
    ACCESS_TOKEN("access_token", false, false),
    ACCESS_TOKEN_AUTHZ("access_token_authz", false, true),
    RFC9068_PROFILE("rfc9068_profile", true, false),
    RFC9068_PROFILE_AUTHZ("rfc9068_profile_authz", true, true);

    private final String value;
    private final boolean rfc9068;
    private final boolean permissions;

    TokenDialect(String value, boolean rfc9068, boolean permissions) {
        this.value = value;
        this.rfc9068 = rfc9068;
        this.permissions = permissions;
    }

    public String value() {
        return value;
    }

    /** RFC 9068: {@code typ: at+jwt}, {@code client_id} instead of {@code azp}, no {@code gty}. */
    public boolean rfc9068() {
        return rfc9068;
    }

    /** Whether tokens carry the {@code permissions} array. */
    public boolean permissions() {
        return permissions;
    }

    public static Optional<TokenDialect> parse(String value) {
        return Arrays.stream(values()).filter(d -> d.value.equals(value)).findFirst();
    }
}
