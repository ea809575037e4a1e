package dev.latchkey.verifier;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.latchkey.verifier.AccessTokenVerifierTest.assertReason;
import static dev.latchkey.verifier.TokenVerificationException.Reason.INVALID_REQUEST;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MISSING;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6750 §2.1 credentials, RFC 7235 §2.1 case-insensitive scheme. */
class AuthorizationHeaderTest {

    @Test
    void takesTheTokenAfterTheScheme() throws Exception {
        assertThat(bearer("Bearer abc.def.ghi")).isEqualTo("abc.def.ghi");
        assertThat(bearer("BEARER   abc ")).isEqualTo("abc");
    }

    @Test
    void noBearerCredentialIsMissing() {
        assertReason(() -> AuthorizationHeader.bearerToken(List.<String>of().iterator()), MISSING);
        assertReason(() -> AuthorizationHeader.bearerToken(null), MISSING);
        assertReason(() -> bearer("Basic dXNlcjpwYXNz"), MISSING);
        assertReason(() -> bearer("Bearerabc"), MISSING);
    }

    @Test
    void emptyOrSeveralTokensAreInvalidRequests() {
        assertReason(() -> bearer("Bearer"), INVALID_REQUEST);
        assertReason(() -> bearer("Bearer   "), INVALID_REQUEST);
        assertReason(() -> bearer("Bearer a b"), INVALID_REQUEST);
        assertReason(() -> AuthorizationHeader.bearerToken(List.of("Bearer a", "Bearer b").iterator()),
                INVALID_REQUEST);
    }

    private static String bearer(String header) throws TokenVerificationException {
        return AuthorizationHeader.bearerToken(List.of(header).iterator());
    }
}
