package dev.latchkey.bench;

import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.token.AccessTokenRequest;
import dev.latchkey.server.token.IssuedAccessToken;
import dev.latchkey.server.token.JwtAccessTokenFormat;
import dev.latchkey.server.token.TokenSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Latchkey's own issuing path without HTTP: {@link JwtAccessTokenFormat} + {@link TokenSigner}
 * building, signing and serialising an Auth0-shaped client-credentials JWT (RS256, the
 * {@code access_token} dialect, two scopes) with the real key ring. Each fork installs its provider
 * JVM-wide as the server does at start, before the keys are made, so the key objects are the
 * provider's own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class TokenIssueBenchmark {

    static final String ISSUER = "http://localhost:8080/";
    static final String CLIENT_ID = "t4EwkZx9wf7tqJC8cPPmbVMyyTP6TlQb";

    /** One issuer shared by the threads, as in the server. */
    @State(Scope.Benchmark)
    public static class Issuer {
        @Param({"ACCP", "JDK"})
        public CryptoProvider provider;
        JwtAccessTokenFormat format;
        AccessTokenRequest request;

        @Setup(Level.Trial)
        public void start() {
            build(this);
        }
    }

    /** One issuer (own key ring, signer and key objects) per thread: shows whether sharing costs. */
    @State(Scope.Thread)
    public static class OwnIssuer {
        JwtAccessTokenFormat format;
        AccessTokenRequest request;

        @Setup(Level.Trial)
        public void start(Issuer shared) {
            Issuer own = new Issuer();
            own.provider = shared.provider;
            build(own);
            format = own.format;
            request = own.request;
        }
    }

    static void build(Issuer issuer) {
        CryptoProvider provider = issuer.provider;
        provider.installAsServerDoes();
        Clock clock = Clock.systemUTC();
        SigningKeyRing ring = new SigningKeyRing(new InMemorySigningKeyStore(), new RsaKeyFactory("localhost"), clock);
        ring.ensureReady();
        issuer.format = new JwtAccessTokenFormat(ISSUER, new TokenSigner(ring), clock);
        List<String> scopes = List.of("read:patients", "read:admin");
        ResourceServer api = new ResourceServer("6a1f2c3d4e5f60718293a4b5", "https://example.com/health-api",
                "Health API", false,
                List.of(new ApiScope("read:patients", "Read patients"), new ApiScope("read:admin", "Read admin")),
                SigningAlgorithm.RS256, null, ResourceServer.DEFAULT_TOKEN_LIFETIME,
                ResourceServer.DEFAULT_TOKEN_LIFETIME, false, false, false, TokenDialect.ACCESS_TOKEN,
                Instant.EPOCH, Instant.EPOCH);
        issuer.request = new AccessTokenRequest(api, CLIENT_ID + "@clients", CLIENT_ID, scopes, scopes,
                "client-credentials", false, api.tokenLifetime(), "cgr_0123456789abcdef");
    }

    @Benchmark
    public IssuedAccessToken clientCredentialsToken(Issuer issuer) {
        return issuer.format.issue(issuer.request);
    }

    @Benchmark
    public IssuedAccessToken clientCredentialsTokenOwnSignerPerThread(OwnIssuer issuer) {
        return issuer.format.issue(issuer.request);
    }
}
