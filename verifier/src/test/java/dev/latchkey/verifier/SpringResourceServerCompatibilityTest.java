package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEObjectType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Latchkey's tokens must work with Spring Boot's resource server configured with only
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} and {@code audiences}. Spring Boot builds that
 * decoder as below: {@code JwtDecoders.fromIssuerLocation}, then the default validators plus an audience check.
 */
class SpringResourceServerCompatibilityTest {

    private TestIssuer issuer;
    private NimbusJwtDecoder decoder;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        decoder = JwtDecoders.fromIssuerLocation(issuer.issuer());
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                aud -> aud != null && aud.contains(TestIssuer.API));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer.issuer()), audience));
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void acceptsLatchkeyUserTokenWithAudienceArray() {
        Jwt jwt = decoder.decode(issuer.token());

        assertThat(jwt.getSubject()).isEqualTo("auth0|123456");
        assertThat(jwt.getIssuer().toString()).isEqualTo(issuer.issuer()); // trailing slash kept
        assertThat(jwt.getAudience()).containsExactly(TestIssuer.API, issuer.issuer() + "userinfo");
        assertThat(jwt.getHeaders()).containsEntry("typ", "JWT").containsEntry("alg", "RS256")
                .containsEntry("kid", issuer.currentKey().getKeyID());
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("openid profile read:patients");
    }

    @Test
    void acceptsMachineToMachineTokenWithAudienceString() {
        Jwt jwt = decoder.decode(issuer.token(c -> c.subject("CS2MNgcX1VZF@clients").audience(TestIssuer.API)
                .claim("gty", "client-credentials")));

        assertThat(jwt.getAudience()).containsExactly(TestIssuer.API);
    }

    @Test
    void refusesAnotherApisToken() {
        assertThatThrownBy(() -> decoder.decode(issuer.token(c -> c.audience("https://example.com/other-api"))))
                .isInstanceOf(JwtException.class);
    }

    /** Why Latchkey's default dialect keeps typ JWT: Spring's default decoder refuses at+jwt. */
    @Test
    void springRefusesRfc9068TypedTokensByDefault() {
        String rfc9068 = issuer.sign(issuer.header().type(new JOSEObjectType("at+jwt")).build(),
                issuer.claims().build());

        assertThatThrownBy(() -> decoder.decode(rfc9068)).isInstanceOf(JwtException.class);
    }
}
