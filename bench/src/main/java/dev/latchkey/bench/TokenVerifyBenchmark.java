package dev.latchkey.bench;

import com.auth0.jwk.JwkException;
import com.auth0.jwk.JwkProvider;
import com.auth0.jwk.JwkProviderBuilder;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.RSAKeyProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.token.AccessTokenRequest;
import dev.latchkey.server.token.JwtAccessTokenFormat;
import dev.latchkey.server.token.TokenSigner;
import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.TokenVerificationException;
import dev.latchkey.verifier.VerifiedToken;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * RS256 access-token validation, 2 threads, one realistic Latchkey token (signed once by the server's own
 * {@link JwtAccessTokenFormat} with the real key ring: {@code typ JWT}, {@code kid}, {@code iss} with its
 * trailing slash, {@code aud}, {@code azp}, {@code scope}, {@code gty}, {@code jti}), through:
 * <ul>
 *   <li>{@code latchkeyVerifier}: {@link AccessTokenVerifier} built with {@code .issuer .audience .jwks};</li>
 *   <li>{@code rawVerifyReused}: {@code SHA256withRSA} over the token's signing input with one initialised
 *       {@link Signature} per thread (the ceiling for any verifier);</li>
 *   <li>{@code rawVerifyPerToken}: the same with {@code getInstance + initVerify} per token, as JWT libraries
 *       do;</li>
 *   <li>{@code auth0JavaJwt}: {@code com.auth0:java-jwt} over a cached {@code jwks-rsa} {@link JwkProvider}
 *       reading the JWKS from a local file, the way Auth0's docs wire them;</li>
 *   <li>{@code nimbusProcessor}: Nimbus {@link DefaultJWTProcessor} with an {@link ImmutableJWKSet}.</li>
 * </ul>
 * All four check the signature, {@code iss}, {@code aud}, {@code exp}/{@code nbf}/{@code iat} with 60 s leeway
 * and the presence of {@code sub}. Every path asks the JCA for the default {@code SHA256withRSA}: with
 * {@code provider=JDK} nothing is installed (SunRsaSign), with {@code provider=ACCP} ACCP is installed in first
 * position as the server does at start. Each fork prints which provider it verified with.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class TokenVerifyBenchmark {

    static final String ISSUER = "https://auth.example.com/";
    static final String AUDIENCE = "https://example.com/health-api";
    static final String CLIENT_ID = "t4EwkZx9wf7tqJC8cPPmbVMyyTP6TlQb";
    static final long LEEWAY_SECONDS = 60;

    @State(Scope.Benchmark)
    public static class Token {
        @Param({"JDK", "ACCP"})
        public CryptoProvider provider;

        String token;
        byte[] signingInput;
        byte[] signature;
        RSAPublicKey publicKey;
        AccessTokenVerifier latchkey;
        JWTVerifier auth0;
        DefaultJWTProcessor<SecurityContext> nimbus;
        private SigningKeyRing ring;
        private String kid;
        private Path jwksFile;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            String installed = provider.installAsServerDoes();
            issueToken();
            JWKSet jwks = publicJwks();
            publicKey = ((RSAKey) jwks.getKeyByKeyId(kid)).toRSAPublicKey();

            latchkey = AccessTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(jwks).build();
            auth0 = javaJwt(jwks);
            nimbus = nimbus(jwks);

            String verifying = Signature.getInstance("SHA256withRSA").getProvider().getName();
            System.out.println("# SHA256withRSA default provider in this JVM: " + verifying + " (installed: "
                    + installed + "; ACCP registered: " + (Security.getProvider("AmazonCorrettoCryptoProvider") != null)
                    + ")");
            // A broken setup fails here, not as a fast stream of exceptions measured as throughput.
            if (!rawVerify(Signature.getInstance("SHA256withRSA"), this)
                    || !latchkey.verify(token).hasScope("read:patients")
                    || auth0.verify(token).getClaim("gty").isMissing()
                    || nimbus.process(token, null).getClaim("azp") == null) {
                throw new IllegalStateException("The token did not verify on every path");
            }
        }

        private void issueToken() throws ParseException {
            Clock clock = Clock.systemUTC();
            SigningKeyRing ring = new SigningKeyRing(new InMemorySigningKeyStore(), new RsaKeyFactory("localhost"),
                    clock);
            ring.ensureReady();
            this.ring = ring;
            List<String> scopes = List.of("read:patients", "read:admin");
            ResourceServer api = new ResourceServer("6a1f2c3d4e5f60718293a4b5", AUDIENCE, "Health API", false,
                    List.of(new ApiScope("read:patients", "Read patients"), new ApiScope("read:admin", "Read admin")),
                    SigningAlgorithm.RS256, null, ResourceServer.DEFAULT_TOKEN_LIFETIME,
                    ResourceServer.DEFAULT_TOKEN_LIFETIME, false, false, false, TokenDialect.ACCESS_TOKEN,
                    Instant.EPOCH, Instant.EPOCH);
            token = new JwtAccessTokenFormat(ISSUER, new TokenSigner(ring), clock)
                    .issue(new AccessTokenRequest(api, CLIENT_ID + "@clients", CLIENT_ID, scopes, scopes,
                            "client-credentials", false, api.tokenLifetime(), "cgr_0123456789abcdef"))
                    .value();
            SignedJWT parsed = SignedJWT.parse(token);
            Base64URL[] parts = parsed.getParsedParts();
            signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            signature = parts[2].decode();
            kid = parsed.getHeader().getKeyID();
        }

        /** The public keys exactly as {@code /.well-known/jwks.json} publishes them. */
        private JWKSet publicJwks() throws ParseException {
            return JWKSet.parse(new String(ring.jwksJson(), StandardCharsets.UTF_8));
        }

        /** Auth0's documented wiring: a cached {@code JwkProvider} behind an {@code RSAKeyProvider}. */
        private JWTVerifier javaJwt(JWKSet jwks) throws IOException {
            jwksFile = Files.createTempFile("latchkey-bench-jwks", ".json");
            Files.writeString(jwksFile, jwks.toString(true));
            JwkProvider provider = new JwkProviderBuilder(jwksFile.toUri().toURL())
                    .cached(10, 24, TimeUnit.HOURS)
                    .build();
            RSAKeyProvider keys = new RSAKeyProvider() {
                @Override
                public RSAPublicKey getPublicKeyById(String kid) {
                    try {
                        return (RSAPublicKey) provider.get(kid).getPublicKey();
                    } catch (JwkException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public RSAPrivateKey getPrivateKey() {
                    return null;
                }

                @Override
                public String getPrivateKeyId() {
                    return null;
                }
            };
            return JWT.require(Algorithm.RSA256(keys))
                    .withIssuer(ISSUER)
                    .withAudience(AUDIENCE)
                    .withClaimPresence("sub")
                    .acceptLeeway(LEEWAY_SECONDS)
                    .build();
        }

        private static DefaultJWTProcessor<SecurityContext> nimbus(JWKSet jwks) {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    new ImmutableJWKSet<>(jwks)));
            DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(AUDIENCE,
                    new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                    Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.ISSUED_AT));
            claims.setMaxClockSkew((int) LEEWAY_SECONDS);
            processor.setJWTClaimsSetVerifier(claims);
            return processor;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            latchkey.close();
            Files.deleteIfExists(jwksFile);
        }
    }

    @State(Scope.Thread)
    public static class RawVerifier {
        Signature signature;

        @Setup(Level.Trial)
        public void init(Token token) throws GeneralSecurityException {
            signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(token.publicKey);
        }
    }

    static boolean rawVerify(Signature initialised, Token token) throws GeneralSecurityException {
        initialised.initVerify(token.publicKey);
        initialised.update(token.signingInput);
        return initialised.verify(token.signature);
    }

    @Benchmark
    public VerifiedToken latchkeyVerifier(Token token) throws TokenVerificationException {
        return token.latchkey.verify(token.token);
    }

    @Benchmark
    public boolean rawVerifyReused(Token token, RawVerifier verifier) throws GeneralSecurityException {
        verifier.signature.update(token.signingInput);
        if (!verifier.signature.verify(token.signature)) {
            throw new IllegalStateException("The signature did not verify");
        }
        return true;
    }

    @Benchmark
    public boolean rawVerifyPerToken(Token token) throws GeneralSecurityException {
        if (!rawVerify(Signature.getInstance("SHA256withRSA"), token)) {
            throw new IllegalStateException("The signature did not verify");
        }
        return true;
    }

    @Benchmark
    public DecodedJWT auth0JavaJwt(Token token) {
        return token.auth0.verify(token.token);
    }

    @Benchmark
    public JWTClaimsSet nimbusProcessor(Token token) throws ParseException, BadJOSEException, JOSEException {
        return token.nimbus.process(token.token, null);
    }
}
