package dev.latchkey.server.peers;

import com.auth0.jwt.JWT;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Security's resource-server decoder, configured only with our issuer URL: it reads the
 * discovery document (RFC 8414 §3, OIDC Discovery §4), checks that its {@code issuer} is the one
 * asked for, takes the keys and algorithms from {@code jwks_uri}, then verifies our tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringJwtDecoderPeerTest {

    private static final String ORDERS = "https://orders.example/api";
    private static final String LEDGER = "https://ledger.example/api";
    private static final String PROFILE = "https://profile.example/api";

    private TestServer server;
    private MachineClient client;

    @BeforeAll
    void start() {
        server = TestServer.start();
        registerApisAndClient(server);
        client = MachineClient.register(server, "spring peer")
                .grant(ORDERS, "read:orders", "write:orders")
                .grant(LEDGER, "read:ledger")
                .grant(PROFILE, "read:profile");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void decoderFromIssuerLocationAcceptsOurTokenAndExposesItsScopes() {
        NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(server.issuer());
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                new JwtIssuerValidator(server.issuer()), new JwtAudienceValidator(ORDERS)));

        Jwt jwt = decoder.decode(client.token(ORDERS));

        assertThat(jwt.getIssuer().toString()).isEqualTo(server.issuer());
        assertThat(jwt.getAudience()).containsExactly(ORDERS);
        assertThat(jwt.getSubject()).isEqualTo(client.clientId() + "@clients");
        // RFC 8693 §4.2 / RFC 9068 §2.2.3: scope is one space-separated string.
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("read:orders write:orders");
        assertThat(new JwtGrantedAuthoritiesConverter().convert(jwt)).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("SCOPE_read:orders", "SCOPE_write:orders");
    }

    @Test
    void decoderTakesPs256FromTheJwksToo() {
        NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(server.issuer());

        Jwt jwt = decoder.decode(client.token(LEDGER));

        assertThat(jwt.getHeaders()).containsEntry("alg", "PS256");
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("read:ledger");
    }

    @Test
    void audienceValidatorRejectsATokenForAnotherApi() {
        NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(server.issuer());
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                new JwtIssuerValidator(server.issuer()), new JwtAudienceValidator(ORDERS)));

        assertThatThrownBy(() -> decoder.decode(client.token(LEDGER))).isInstanceOf(JwtValidationException.class);
    }

    /**
     * Another Latchkey with the very same issuer URL and the same kid format (RFC 7638
     * thumbprints) still cannot mint tokens this issuer's validators accept: its keys differ.
     */
    @Test
    void tokenFromAnotherLatchkeyWithTheSameIssuerIsRejected() {
        try (TestServer impostor = TestServer.start(s -> TestSettings.withIssuer(s, server.issuer()))) {
            registerApisAndClient(impostor);
            String forged = MachineClient.register(impostor, "impostor")
                    .grant(ORDERS, "read:orders", "write:orders").token(ORDERS);
            String genuine = client.token(ORDERS);
            assertThat(JWT.decode(forged).getIssuer()).isEqualTo(server.issuer());
            assertThat(JWT.decode(forged).getKeyId()).hasSameSizeAs(JWT.decode(genuine).getKeyId())
                    .isNotEqualTo(JWT.decode(genuine).getKeyId());

            NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(server.issuer());

            assertThat(decoder.decode(genuine).getSubject()).isEqualTo(client.clientId() + "@clients");
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
        }
    }

    /**
     * RFC 9068 §2.1 tokens say {@code typ: at+jwt}; Spring's default decoder refuses them (so the
     * default dialect keeps {@code JWT}), and its RFC 9068 validator accepts them.
     */
    @Test
    void rfc9068TokenNeedsSpringsAtJwtValidator() {
        String token = client.token(PROFILE);

        assertThatThrownBy(() -> JwtDecoders.fromIssuerLocation(server.issuer()).decode(token))
                .isInstanceOf(JwtException.class);

        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(server.issuer()).validateType(false).build();
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator()
                .issuer(server.issuer()).audience(PROFILE).clientId(client.clientId()).build());
        Jwt jwt = decoder.decode(token);

        assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt");
        assertThat(jwt.getClaimAsString("client_id")).isEqualTo(client.clientId());
    }

    private static void registerApisAndClient(TestServer target) {
        target.createApi("{\"identifier\":\"" + ORDERS + "\",\"name\":\"Orders\",\"scopes\":["
                + "{\"value\":\"read:orders\",\"description\":\"Read\"},"
                + "{\"value\":\"write:orders\",\"description\":\"Write\"}]}");
        target.createApi("{\"identifier\":\"" + LEDGER + "\",\"name\":\"Ledger\",\"signing_alg\":\"PS256\","
                + "\"scopes\":[{\"value\":\"read:ledger\",\"description\":\"Read\"}]}");
        target.createApi("{\"identifier\":\"" + PROFILE + "\",\"name\":\"Profile\","
                + "\"token_dialect\":\"rfc9068_profile\","
                + "\"scopes\":[{\"value\":\"read:profile\",\"description\":\"Read\"}]}");
    }
}
