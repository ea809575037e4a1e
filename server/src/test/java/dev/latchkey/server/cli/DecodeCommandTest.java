package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import static dev.latchkey.server.cli.Cli.at;
import static org.assertj.core.api.Assertions.assertThat;

class DecodeCommandTest {

    private static TestServer server;
    private static String clientId;
    private static String clientSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        JsonNode client = server.createClient("{\"name\":\"decoder\",\"app_type\":\"non_interactive\"}");
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A token from the server for a new API signed with {@code alg}; the API's JSON in {@code api[0]}. */
    private static String token(String alg, JsonNode[] api) {
        String audience = "https://api-" + UUID.randomUUID() + ".example.com/";
        api[0] = server.createApi("{\"identifier\":\"" + audience + "\",\"signing_alg\":\"" + alg
                + "\",\"scopes\":[{\"value\":\"read:a\"}]}");
        server.grant(clientId, audience, "read:a");
        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", clientSecret,
                "--audience", audience);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out().strip();
    }

    private static String token(String alg) {
        return token(alg, new JsonNode[1]);
    }

    @Test
    void verifiesATokenAgainstTheIssuersJwks() throws Exception {
        String token = token("RS256");
        String kid = SignedJWT.parse(token).getHeader().getKeyID();

        Cli.Result result = at(server, "decode", token);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("header:", "\"alg\" : \"RS256\"", "claims:", "\"sub\" : \"" + clientId + "@clients\"",
                "expires:", "(in 23 h ", "issuer:    ok (" + server.issuer() + ")",
                "signature: valid (kid " + kid + ", RS256)");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void verifiesAPs256Token() throws Exception {
        String token = token("PS256");

        Cli.Result result = at(server, "decode", token);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("signature: valid (kid " + SignedJWT.parse(token).getHeader().getKeyID() + ", PS256)");
    }

    @Test
    void readsTheTokenFromStandardInput() {
        String token = token("RS256");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("Bearer " + token + "\n").getBytes(StandardCharsets.UTF_8)));
            Cli.Result result = at(server, "decode", "-");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("signature: valid");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aTamperedTokenFails() throws Exception {
        SignedJWT original = SignedJWT.parse(token("RS256"));
        JWTClaimsSet widened = new JWTClaimsSet.Builder(original.getJWTClaimsSet()).claim("scope", "read:a admin:all").build();
        String tampered = original.getHeader().toBase64URL() + "." + Base64URL.encode(widened.toString()) + "."
                + original.getSignature();

        Cli.Result result = at(server, "decode", tampered);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("admin:all", "signature: INVALID: the token was altered");
        assertThat(result.err()).contains("the token does not verify: signature");
    }

    @Test
    void aTokenSignedByAnUnknownKeyFails() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("stranger").build(),
                claims(server.issuer(), Instant.now().plusSeconds(600)));
        jwt.sign(new RSASSASigner(stranger));

        Cli.Result result = at(server, "decode", jwt.serialize());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("no RSA key with kid stranger");
    }

    @Test
    void anHs256TokenNeedsTheApisSecret() {
        JsonNode[] api = new JsonNode[1];
        String token = token("HS256", api);

        Cli.Result without = at(server, "decode", token);
        Cli.Result with = at(server, "decode", token, "--secret", api[0].path("signing_secret").asText());
        Cli.Result wrong = at(server, "decode", token, "--secret", "x".repeat(32));

        assertThat(without.exitCode()).isEqualTo(1);
        assertThat(without.out()).contains("NOT VERIFIED: HS256 tokens can only be checked with the API's signing secret",
                "--secret");
        assertThat(with.exitCode()).as(with.toString()).isZero();
        assertThat(with.out()).contains("signature: valid (HS256, with the given secret)");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.out()).contains("signature: INVALID");
    }

    @Test
    void anExpiredTokenFails() throws Exception {
        String secret = "s".repeat(40);
        Cli.Result result = at(server, "decode", hs256(claims(server.issuer(), Instant.now().minusSeconds(120)), secret),
                "--secret", secret);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("expires:   EXPIRED:", "ago)", "signature: valid");
        assertThat(result.err()).contains("the token does not verify: expires");
    }

    @Test
    void aTokenOfAnotherIssuerFails() throws Exception {
        String secret = "s".repeat(40);
        Cli.Result result = at(server, "decode", hs256(claims("https://elsewhere.example.com/",
                Instant.now().plusSeconds(600)), secret), "--secret", secret);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("issuer:    WRONG: https://elsewhere.example.com/, expected " + server.issuer());
    }

    @Test
    void checksTheAudienceWhenAsked() {
        JsonNode[] api = new JsonNode[1];
        String token = token("RS256", api);

        Cli.Result right = at(server, "decode", token, "--audience", api[0].path("identifier").asText());
        Cli.Result wrong = at(server, "decode", token, "--audience", "https://other.example.com/");

        assertThat(right.exitCode()).as(right.toString()).isZero();
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.out()).contains("audience:  WRONG");
    }

    @Test
    void withJsonReportsHeaderClaimsAndChecks() {
        Cli.Result result = at(server, "decode", token("RS256"), "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode json = result.json();
        assertThat(json.path("header").path("alg").asText()).isEqualTo("RS256");
        assertThat(json.path("claims").path("azp").asText()).isEqualTo(clientId);
        assertThat(json.path("checks").path("signature").path("passed").asBoolean()).isTrue();
        assertThat(json.path("valid").asBoolean()).isTrue();
    }

    @Test
    void somethingThatIsNotAJwtIsAUsageError() {
        Cli.Result result = at(server, "decode", "not-a-token");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("This is not a JWT");
    }

    @Test
    void anUnsignedJwtIsAUsageError() {
        String plain = new PlainJWT(claims(server.issuer(), Instant.now().plusSeconds(600))).serialize();

        Cli.Result result = at(server, "decode", plain);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unsigned (alg none)");
    }

    @Test
    void anIssuerThatIsNotTheServersOwnIsReported() {
        String token = token("RS256");
        String loopback = server.issuer().replace("localhost", "127.0.0.1");

        Cli.Result result = Cli.run("decode", token, "--issuer", loopback);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("says its issuer is '" + server.issuer() + "'", "Pass that exact URL as --issuer");
    }

    private static JWTClaimsSet claims(String issuer, Instant expires) {
        return new JWTClaimsSet.Builder().issuer(issuer).subject("someone@clients").audience("https://api.example.com/")
                .issueTime(Date.from(expires.minusSeconds(3600))).expirationTime(Date.from(expires)).build();
    }

    private static String hs256(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
