package dev.latchkey.verifier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.latchkey.verifier.AccessTokenVerifierTest.assertReason;
import static dev.latchkey.verifier.TokenVerificationException.Reason.ISSUER_UNREACHABLE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MALFORMED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.REJECTED_BY_ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** Opaque tokens checked at the issuer's userinfo endpoint, with a short cache of answers. */
class UserinfoTokensTest {

    private static final String OPAQUE = "Yq3vT0pL8sWm2xKc9RfH4nZ7bJd1gAe6";

    private TestIssuer issuer;
    private MutableClock clock;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        issuer.acceptOpaque(OPAQUE, Map.of("sub", "auth0|123456", "email", "jane@example.com"));
        clock = new MutableClock();
        verifier = issuer.verifier().opaqueTokensViaUserinfo().clock(clock).build();
    }

    @AfterEach
    void stop() {
        verifier.close();
        issuer.close();
    }

    @Test
    void acceptsAnOpaqueTokenTheIssuerVouchesFor() throws Exception {
        VerifiedToken token = verifier.verify(OPAQUE);

        assertThat(token.fromUserinfo()).isTrue();
        assertThat(token.subject()).isEqualTo("auth0|123456");
        assertThat(token.issuer()).isEqualTo(issuer.issuer());
        assertThat(token.claims()).containsEntry("email", "jane@example.com");
        assertThat(token.scopes()).isEmpty();
        assertThat(token.audience()).isEmpty();
        assertThat(token.expiresAt()).isEmpty();
    }

    @Test
    void cachesAcceptancesBriefly() throws Exception {
        for (int i = 0; i < 20; i++) {
            verifier.verify(OPAQUE);
        }
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        verifier.verify(OPAQUE);
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isEqualTo(2);
    }

    @Test
    void cachesRefusalsForLess() throws Exception {
        String unknown = "unknown-opaque-token-0123456789";
        for (int i = 0; i < 20; i++) {
            assertReason(() -> verifier.verify(unknown), REJECTED_BY_ISSUER);
        }
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isEqualTo(1);

        issuer.acceptOpaque(unknown, Map.of("sub", "auth0|789"));
        clock.advance(Duration.ofSeconds(11));
        assertThat(verifier.verify(unknown).subject()).isEqualTo("auth0|789");
    }

    @Test
    void stillVerifiesJwtsLocally() throws Exception {
        verifier.verify(issuer.token());
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isZero();
    }

    @Test
    void neverSendsWhatIsNotABearerToken() {
        assertReason(() -> verifier.verify("abc\r\nX-Injected: 1"), MALFORMED);
        assertReason(() -> verifier.verify("opaque token with spaces"), MALFORMED);
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isZero();
    }

    @Test
    void unreachableIssuerIsNotCachedButNotHammeredEither() throws Exception {
        issuer.down(true);
        for (int i = 0; i < 20; i++) {
            assertReason(() -> verifier.verify(OPAQUE), ISSUER_UNREACHABLE);
        }
        assertThat(issuer.requests(TestIssuer.DISCOVERY_PATH)).isEqualTo(1);

        issuer.down(false);
        clock.advance(Duration.ofSeconds(30)); // discovery is retried once per refetch interval
        assertThat(verifier.verify(OPAQUE).subject()).isEqualTo("auth0|123456");
    }

    @Test
    void tokensWithOtherThanTwoDotsAreOpaque() {
        assertReason(() -> verifier.verify("a.b.c.d.e"), REJECTED_BY_ISSUER);
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isEqualTo(1);
    }
}
