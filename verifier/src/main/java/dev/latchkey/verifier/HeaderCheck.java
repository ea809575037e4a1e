package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.latchkey.verifier.TokenVerificationException.Reason.DISALLOWED_ALGORITHM;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MALFORMED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.UNSUPPORTED_CRITICAL_HEADER;
import static dev.latchkey.verifier.TokenVerificationException.Reason.WRONG_TYPE;

/**
 * The JOSE header rules, in order: strict JSON ({@link StrictJson}), {@code alg} on the allow-list (never
 * {@code none}), {@code typ} of an access token, no {@code crit} extension. Key-bearing parameters
 * ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are never consulted: keys come only from the issuer's
 * JWKS (RFC 8725 §3.10).
 * <p>
 * An issuer puts the same header on every token signed with one key, so headers whose signature has checked
 * out are remembered by their encoded form and not parsed again.
 */
final class HeaderCheck {

    /** A header that passed, with what the rest of the verification needs from it. */
    record Accepted(JWSHeader header, JWSAlgorithm algorithm, String kid) {
    }

    /** RFC 9068 §4 and the Auth0 default dialect; RFC 7515 §4.1.9 lets {@code application/} be left out. */
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("jwt", "at+jwt", "application/jwt",
            "application/at+jwt");
    private static final int MAX_REMEMBERED = 64;

    private final Set<JWSAlgorithm> allowed;
    private final Map<String, Accepted> remembered = new ConcurrentHashMap<>();

    HeaderCheck(Set<JWSAlgorithm> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    Accepted check(String encoded) throws TokenVerificationException {
        Accepted known = remembered.get(encoded);
        return known != null ? known : parse(encoded);
    }

    /** Called once the signature made with {@code accepted} has been verified. */
    void remember(String encoded, Accepted accepted) {
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear(); // only after many key rotations; the live headers come back at once
        }
        remembered.put(encoded, accepted);
    }

    private Accepted parse(String encoded) throws TokenVerificationException {
        Base64URL base64 = new JdkDecodedBase64URL(encoded);
        String json = new String(base64.decode(), StandardCharsets.UTF_8);
        Map<String, Object> members;
        try {
            members = StrictJson.parseObject(json);
        } catch (IOException e) {
            throw new TokenVerificationException(MALFORMED,
                    "The access token's header is not a JSON object with distinct members", e);
        }
        // RFC 8725 §3.1: the algorithm is checked against the allow-list before anything else uses it.
        if (!(members.get("alg") instanceof String alg) || !allowed.contains(JWSAlgorithm.parse(alg))) {
            throw new TokenVerificationException(DISALLOWED_ALGORITHM,
                    "The access token's signing algorithm is not allowed");
        }
        JWSHeader header;
        try {
            header = JWSHeader.parse(members, base64);
        } catch (ParseException e) {
            throw new TokenVerificationException(MALFORMED, "The access token's header is invalid", e);
        }
        // RFC 8725 §3.11: explicit typing keeps other JWTs (logout tokens, ...) from passing as access tokens.
        JOSEObjectType type = header.getType();
        if (type == null || !ACCESS_TOKEN_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
            throw new TokenVerificationException(WRONG_TYPE, "The token is not an access token (typ)");
        }
        // RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject the JWS.
        if (members.containsKey("crit")) {
            throw new TokenVerificationException(UNSUPPORTED_CRITICAL_HEADER,
                    "The access token has an unsupported critical header parameter");
        }
        return new Accepted(header, header.getAlgorithm(), header.getKeyID());
    }
}
