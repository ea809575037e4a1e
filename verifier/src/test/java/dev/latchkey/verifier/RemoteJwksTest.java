package dev.latchkey.verifier;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import static dev.latchkey.verifier.AccessTokenVerifierTest.assertReason;
import static dev.latchkey.verifier.TokenVerificationException.Reason.ISSUER_UNREACHABLE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.UNKNOWN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** Discovery, JWKS caching, background refresh, rotation, and behaviour while the issuer is down. */
class RemoteJwksTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private TestIssuer issuer;
    private MutableClock clock;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        clock = new MutableClock();
        verifier = issuer.verifier().clock(clock).unknownKidRefetchInterval(INTERVAL).build();
    }

    @AfterEach
    void stop() {
        verifier.close();
        issuer.close();
    }

    @Test
    void fetchesDiscoveryAndJwksOnceWhileFresh() throws Exception {
        for (int i = 0; i < 50; i++) {
            verifier.verify(issuer.token());
        }
        assertThat(issuer.requests(TestIssuer.DISCOVERY_PATH)).isEqualTo(1);
        assertThat(issuer.requests(TestIssuer.JWKS_PATH)).isEqualTo(1);
    }

    @Test
    void fetchesNothingUntilTheFirstToken() throws Exception {
        Thread.sleep(100);
        assertThat(issuer.requests(TestIssuer.DISCOVERY_PATH) + issuer.requests(TestIssuer.JWKS_PATH)).isZero();
    }

    @Test
    void refreshesInTheBackgroundBeforeMaxAgeRunsOut() throws Exception {
        issuer.cacheControl("max-age=1");
        try (AccessTokenVerifier quick = issuer.verifier()
                .jwksLifetimeBounds(Duration.ofSeconds(1), Duration.ofHours(1)).build()) {
            quick.verify(issuer.token());
            int afterFirst = issuer.requests(TestIssuer.JWKS_PATH);

            awaitAtLeast(() -> issuer.requests(TestIssuer.JWKS_PATH), afterFirst + 2, Duration.ofSeconds(5));
            quick.verify(issuer.token());
        }
    }

    @Test
    void clampsMaxAgeToTheLowerBound() throws Exception {
        issuer.cacheControl("max-age=0, must-revalidate");
        try (AccessTokenVerifier bounded = issuer.verifier()
                .jwksLifetimeBounds(Duration.ofMinutes(1), Duration.ofHours(1)).build()) {
            for (int i = 0; i < 20; i++) {
                bounded.verify(issuer.token());
                Thread.sleep(10);
            }
        }
        assertThat(issuer.requests(TestIssuer.JWKS_PATH)).isEqualTo(1);
    }

    @Test
    void picksUpARotatedKeyWithoutRestart() throws Exception {
        String before = issuer.token();
        verifier.verify(before);
        issuer.rotate(TestKeys.rsa(1, "key-1"), false);
        clock.advance(INTERVAL);

        String after = issuer.token();
        assertThat(verifier.verify(after).subject()).isEqualTo("auth0|123456");
        assertThat(verifier.verify(before).subject()).isEqualTo("auth0|123456");

        issuer.rotate(TestKeys.rsa(3, "key-3"), true); // key-0 and key-1 revoked
        clock.advance(INTERVAL);
        verifier.verify(issuer.token());
        assertReason(() -> verifier.verify(before), UNKNOWN_KEY);
    }

    @Test
    void unknownKidsRefetchAtMostOncePerInterval() throws Exception {
        verifier.verify(issuer.token());
        RSAKey forger = TestKeys.rsa(2, "forger");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            floodWithForgedKids(pool, forger, 400);
            assertThat(issuer.requests(TestIssuer.JWKS_PATH)).isEqualTo(1); // the interval has not passed

            clock.advance(INTERVAL);
            floodWithForgedKids(pool, forger, 400);
            assertThat(issuer.requests(TestIssuer.JWKS_PATH)).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsUsingCachedKeysWhileTheIssuerIsDown() throws Exception {
        String token = issuer.token();
        verifier.verify(token);
        issuer.down(true);
        clock.advance(Duration.ofMinutes(50)); // far past the max-age, within the tokens' hour

        issuer.rotate(TestKeys.rsa(1, "key-1"), false);
        assertReason(() -> verifier.verify(issuer.token()), UNKNOWN_KEY); // refetch tried, failed
        assertThat(verifier.verify(token).subject()).isEqualTo("auth0|123456");

        issuer.close(); // now connections are refused outright
        clock.advance(INTERVAL);
        assertReason(() -> verifier.verify(issuer.token()), UNKNOWN_KEY);
        assertThat(verifier.verify(token).subject()).isEqualTo("auth0|123456");
    }

    @Test
    void keepsCachedKeysWhenBackgroundRefreshFails() throws Exception {
        issuer.cacheControl("max-age=1");
        try (AccessTokenVerifier quick = issuer.verifier()
                .jwksLifetimeBounds(Duration.ofSeconds(1), Duration.ofHours(1)).build()) {
            String token = issuer.token();
            quick.verify(token);
            issuer.down(true);
            int before = issuer.requests(TestIssuer.JWKS_PATH);

            awaitAtLeast(() -> issuer.requests(TestIssuer.JWKS_PATH), before + 2, Duration.ofSeconds(5));
            assertThat(quick.verify(token).subject()).isEqualTo("auth0|123456");
        }
    }

    @Test
    void issuerDownAtStartIsUnreachableWithoutAFloodOfRequests() throws Exception {
        issuer.down(true);
        String token = issuer.token();
        for (int i = 0; i < 100; i++) {
            assertReason(() -> verifier.verify(token), ISSUER_UNREACHABLE);
        }
        assertThat(issuer.requests(TestIssuer.DISCOVERY_PATH)).isEqualTo(1);

        issuer.down(false);
        clock.advance(INTERVAL);
        assertThat(verifier.verify(token).subject()).isEqualTo("auth0|123456");
    }

    @Test
    void unreachableIsA503WithoutChallenge() {
        issuer.down(true);
        try {
            verifier.verify(issuer.token());
        } catch (TokenVerificationException e) {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.bearerError()).isEmpty();
            assertThat(BearerErrorResponse.of("api", e).wwwAuthenticate()).isEmpty();
            return;
        }
        throw new AssertionError("expected a refusal");
    }

    /** OIDC Discovery §4.3: a document naming another issuer is not believed, and its jwks_uri not fetched. */
    @Test
    void refusesDiscoveryThatNamesAnotherIssuer() {
        issuer.advertiseIssuer(issuer.issuer().substring(0, issuer.issuer().length() - 1)); // no trailing slash
        assertReason(() -> verifier.verify(issuer.token()), ISSUER_UNREACHABLE);
        assertThat(issuer.requests(TestIssuer.JWKS_PATH)).isZero();
    }

    @Test
    void givesUpOnASilentIssuerWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accept, never answer
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            String silentIssuer = "http://127.0.0.1:" + silent.getLocalPort() + "/";
            try (AccessTokenVerifier impatient = AccessTokenVerifier.builder().issuer(silentIssuer)
                    .audience(TestIssuer.API).httpTimeout(Duration.ofMillis(300)).build()) {
                long start = System.nanoTime();
                assertReason(() -> impatient.verify(issuer.token()), ISSUER_UNREACHABLE);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    private void floodWithForgedKids(ExecutorService pool, RSAKey forger, int count) throws Exception {
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String kid = "forged-" + i;
            String forged = issuer.sign(issuer.header().keyID(kid).build(), issuer.claims().build(), forger);
            results.add(pool.submit(() -> {
                assertReason(() -> verifier.verify(forged), UNKNOWN_KEY);
                return null;
            }));
        }
        for (Future<?> result : results) {
            result.get();
        }
    }

    private static void awaitAtLeast(IntSupplier value, int target, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (value.getAsInt() < target && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(value.getAsInt()).isGreaterThanOrEqualTo(target);
    }
}
