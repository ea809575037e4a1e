package dev.latchkey.server.token;

import com.nimbusds.jose.JWSAlgorithm;

import java.time.Instant;
import java.util.List;

/**
 * What a JWT access token says once it was parsed and its signature checked: how it was signed ({@code kid} for the
 * key ring, or the API's {@code hmacSecret} for HS256) and the claims the checks after the signature read. The
 * audience and the scopes are immutable lists.
 */
record CheckedJwt(JWSAlgorithm algorithm, String kid, String hmacSecret, String subject, String clientId,
                  List<String> audience, List<String> scopes, Instant issuedAt, Instant expiresAt, String jti) {

    CheckedJwt {
        audience = List.copyOf(audience);
        scopes = List.copyOf(scopes);
    }

    /** A machine-to-machine token: {@code sub} is {@code <client_id>@clients}. */
    boolean machine() {
        return clientId != null && subject.equals(clientId + "@clients");
    }
}
