package dev.latchkey.server.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6750 §2.1: {@code Authorization: Bearer <token>}; the scheme is case-insensitive (RFC 9110 §11.1). */
class BearerTokenTest {

    @Test
    void takesTheTokenAfterTheSchemeInAnyCase() {
        assertThat(BearerToken.of("Bearer abc.def")).hasValue("abc.def");
        assertThat(BearerToken.of("bearer abc")).hasValue("abc");
        assertThat(BearerToken.of("BEARER  abc ")).hasValue("abc");
    }

    @Test
    void noTokenWithoutTheSchemeOrWithoutAToken() {
        assertThat(BearerToken.of(null)).isEmpty();
        assertThat(BearerToken.of("")).isEmpty();
        assertThat(BearerToken.of("Bearer")).isEmpty();
        assertThat(BearerToken.of("Bearer ")).isEmpty();
        assertThat(BearerToken.of("Bearer    ")).isEmpty();
        assertThat(BearerToken.of("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).isEmpty();
        assertThat(BearerToken.of("Bearerabc")).isEmpty();
    }
}
