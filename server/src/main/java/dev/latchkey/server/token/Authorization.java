package dev.latchkey.server.token;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.TimeOrderedIds;

import java.time.Instant;
import java.util.List;

/**
 * What a user allowed a client: for which API ({@code audience}, null for /userinfo only), which
 * scopes, in which SSO session and login ({@code acr}: the class reported, null when none was asked
 * for). Everything issued from it (its code, opaque and refresh
 * tokens, and JWT access tokens through their {@code jti}) names its {@code id}, so revoking the
 * authorization revokes all of them (RFC 6749 §4.1.2, §10.4; RFC 7009 §2.1). Machine-to-machine
 * tokens hang from their client grant instead and write nothing.
 */
public record Authorization(
        String id,
        String userId,
        String clientId,
        String audience,
        List<String> scopes,
        String sid,
        Instant authTime,
        String acr,
        Instant createdAt,
        Instant expiresAt) {

    /** Separates the authorization (or client grant) id from the random part of a {@code jti}. */
    static final char JTI_SEPARATOR = '.';

    public Authorization {
        scopes = List.copyOf(scopes);
    }

    /** Ids sort by creation time (each new row at the end of the indexes on them) and stay unguessable. */
    public static String newId() {
        return TimeOrderedIds.next("az_", RandomStrings.alphanumeric(24));
    }

    public Authorization withScopes(List<String> narrowed) {
        return new Authorization(id, userId, clientId, audience, narrowed, sid, authTime, acr, createdAt, expiresAt);
    }

    /** The authorization or client grant a JWT's {@code jti} names; null for a foreign or older token. */
    public static String idOfJti(String jti) {
        if (jti == null) {
            return null;
        }
        int separator = jti.indexOf(JTI_SEPARATOR);
        return separator > 0 ? jti.substring(0, separator) : null;
    }

    static String jti(String grantId) {
        return grantId + JTI_SEPARATOR + RandomStrings.base64url(12);
    }
}
