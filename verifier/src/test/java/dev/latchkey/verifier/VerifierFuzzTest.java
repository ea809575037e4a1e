package dev.latchkey.verifier;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the verifier: whatever arrives, {@link AccessTokenVerifier#verify} either accepts a token
 * of the configured issuer and API or refuses it with a {@link TokenVerificationException} carrying a
 * reason and an RFC 6750 §3 status; any other exception fails the target. In {@code mvn verify} these run
 * once per seed in {@code VerifierFuzzTestInputs/}; {@code bench/fuzz.sh} runs them in fuzzing mode.
 */
class VerifierFuzzTest {

    private static final String ISSUER = "https://auth.example.com/";
    private static final String API = "https://example.com/health-api";
    private static final byte[] SECRET = "a 32-byte secret for the fuzzing!".getBytes(StandardCharsets.US_ASCII);

    private static RSAKey rsa;
    private static AccessTokenVerifier verifier;
    private static JWSSigner hmacSigner;
    private static JWSSigner rsaSigner;

    @BeforeAll
    static void start() throws JOSEException {
        rsa = TestKeys.rsa(0, "fuzz-key");
        verifier = AccessTokenVerifier.builder().issuer(ISSUER).audience(API)
                .jwks(new JWKSet(rsa.toPublicJWK())).algorithms("RS256", "PS256", "ES256").hmacSecret(SECRET).build();
        hmacSigner = new MACSigner(SECRET);
        rsaSigner = new RSASSASigner(rsa);
    }

    @AfterAll
    static void stop() {
        verifier.close();
    }

    /** Any string as the bearer token, and any Authorization header values. */
    @FuzzTest
    void arbitraryStrings(FuzzedDataProvider data) {
        List<String> headers = List.of(data.consumeString(300), data.consumeString(300));
        try {
            AuthorizationHeader.bearerToken(headers.subList(0, data.consumeInt(0, 2)).iterator());
        } catch (TokenVerificationException refused) {
            assertRefusal(refused);
        }
        verifyOrRefuse(data.consumeRemainingAsString());
    }

    /**
     * JWTs whose header and claims are fuzzed JSON text, correctly signed with the verifier's own HS256
     * secret or RSA key: the parsers and claim checks behind a valid signature (RFC 8725 §3).
     */
    @FuzzTest
    void signedTokens(FuzzedDataProvider data) throws JOSEException {
        boolean useRsa = data.consumeInt(0, 15) == 15; // not 0: an exhausted input reads as 0, and RSA is slow
        String header = data.consumeBoolean() ? data.consumeString(200) : header(data, useRsa);
        String claims = data.consumeBoolean() ? data.consumeRemainingAsString() : claims(data);
        String signingInput = Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8));
        JWSSigner signer = useRsa ? rsaSigner : hmacSigner;
        Base64URL signature = signer.sign(new JWSHeader(useRsa ? JWSAlgorithm.RS256 : JWSAlgorithm.HS256),
                signingInput.getBytes(StandardCharsets.US_ASCII));
        verifyOrRefuse(signingInput + "." + signature);
    }

    private static void verifyOrRefuse(String token) {
        try {
            VerifiedToken accepted = verifier.verify(token);
            assertThat(accepted.issuer()).isEqualTo(ISSUER);
            assertThat(accepted.audience()).contains(API);
            assertThat(accepted.subject()).isNotNull();
            assertThat(accepted.expiresAt()).get().matches(exp -> exp.isAfter(Instant.now().minusSeconds(120)));
        } catch (TokenVerificationException refused) {
            assertRefusal(refused);
        }
    }

    private static void assertRefusal(TokenVerificationException refused) {
        assertThat(refused.reason()).isNotNull();
        assertThat(refused.httpStatus()).isIn(400, 401, 403, 503);
        assertThat(refused.getMessage()).isNotBlank();
    }

    /** A header that mostly passes: the algorithm the token is signed with, fuzzed typ, kid and extras. */
    private static String header(FuzzedDataProvider data, boolean rsaSigned) {
        StringBuilder json = new StringBuilder("{\"alg\":")
                .append(data.consumeInt(0, 7) == 0 ? value(data) : rsaSigned ? "\"RS256\"" : "\"HS256\"");
        if (data.consumeBoolean()) {
            json.append(",\"typ\":").append(data.consumeBoolean() ? "\"at+jwt\"" : value(data));
        }
        if (data.consumeBoolean()) {
            json.append(",\"kid\":").append(data.consumeBoolean() ? "\"fuzz-key\"" : value(data));
        }
        for (int extra = data.consumeInt(0, 3); extra > 0; extra--) {
            json.append(",").append(string(data.consumeString(12))).append(":").append(value(data));
        }
        return json.append("}").toString();
    }

    /** Claims that mostly pass, each of them sometimes replaced by a fuzzed JSON value. */
    private static String claims(FuzzedDataProvider data) {
        long now = Instant.now().getEpochSecond();
        StringBuilder json = new StringBuilder("{");
        claim(json, data, "iss", string(ISSUER));
        claim(json, data, "sub", string("auth0|123"));
        claim(json, data, "aud", data.consumeBoolean() ? string(API) : "[" + string(API) + "," + value(data) + "]");
        claim(json, data, "exp", Long.toString(now + 3600));
        claim(json, data, "iat", Long.toString(now));
        claim(json, data, "nbf", Long.toString(now));
        claim(json, data, "scope", string("read:items write:items"));
        claim(json, data, "permissions", "[\"read:items\"]");
        claim(json, data, "azp", string("client"));
        for (int extra = data.consumeInt(0, 3); extra > 0; extra--) {
            claim(json, data, data.consumeString(12), value(data));
        }
        return json.append("}").toString();
    }

    private static void claim(StringBuilder json, FuzzedDataProvider data, String name, String usual) {
        int choice = data.consumeInt(0, 5);
        if (choice == 0) {
            return; // left out
        }
        if (json.length() > 1) {
            json.append(",");
        }
        json.append(string(name)).append(":").append(choice == 1 ? value(data) : usual);
    }

    /** A JSON value of any type, sometimes nested, sometimes odd (huge numbers, escapes, bare junk). */
    private static String value(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 9)) {
            case 0 -> "null";
            case 1 -> Boolean.toString(data.consumeBoolean());
            case 2 -> Long.toString(data.consumeLong());
            case 3 -> Double.toString(data.consumeDouble());
            case 4 -> "[" + value(data) + "," + value(data) + "]";
            case 5 -> "{" + string(data.consumeString(8)) + ":" + value(data) + "}";
            case 6 -> data.consumeString(24);
            case 7 -> "1" + "0".repeat(data.consumeInt(0, 400));
            default -> string(data.consumeString(40));
        };
    }

    /** A JSON string literal of {@code text}, escaped by hand only where JSON requires it. */
    private static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
