package dev.latchkey.verifier;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6750 §3 challenges. */
class BearerErrorResponseTest {

    @Test
    void invalidTokenCarriesErrorAndDescription() {
        BearerErrorResponse answer = BearerErrorResponse.of("api", new TokenVerificationException(
                TokenVerificationException.Reason.BAD_SIGNATURE, "The access token's signature is invalid"));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.wwwAuthenticate()).contains("Bearer realm=\"api\", error=\"invalid_token\","
                + " error_description=\"The access token's signature is invalid\"");
        assertThat(answer.jsonBody()).isEqualTo(
                "{\"error\":\"invalid_token\",\"error_description\":\"The access token's signature is invalid\"}");
    }

    @Test
    void insufficientScopeNamesTheScopes() {
        TokenVerificationException refusal = TokenVerificationException.insufficientScope("missing",
                List.of("read:patients", "read:admin"));

        assertThat(BearerErrorResponse.of("api", refusal).wwwAuthenticate()).contains("Bearer realm=\"api\","
                + " error=\"insufficient_scope\", error_description=\"missing\", scope=\"read:patients read:admin\"");
    }

    @Test
    void keepsAttributeValuesQuotable() {
        BearerErrorResponse answer = BearerErrorResponse.of("an \"odd\" realm\r\n", new TokenVerificationException(
                TokenVerificationException.Reason.MALFORMED, "bad \\ \"quote\" é"));

        assertThat(answer.wwwAuthenticate()).contains("Bearer realm=\"an _odd_ realm__\", error=\"invalid_token\","
                + " error_description=\"bad _ _quote_ _\"");
    }
}
