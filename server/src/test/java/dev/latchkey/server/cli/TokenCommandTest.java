package dev.latchkey.server.cli;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.latchkey.server.cli.Cli.admin;
import static dev.latchkey.server.cli.Cli.at;
import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTest {

    private static TestServer server;
    private static String audience;
    private static String clientId;
    private static String clientSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        audience = "https://api-" + UUID.randomUUID() + ".example.com/";
        server.createApi("{\"identifier\":\"" + audience + "\",\"scopes\":[{\"value\":\"read:a\"},{\"value\":\"write:a\"}]}");
        var client = server.createClient("{\"name\":\"worker\",\"app_type\":\"non_interactive\"}");
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        server.grant(clientId, audience, "read:a", "write:a");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void printsOnlyTheAccessTokenOnStandardOutput() throws Exception {
        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", clientSecret,
                "--audience", audience);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).hasSize(1);
        SignedJWT jwt = SignedJWT.parse(result.out().strip());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(audience);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(clientId + "@clients");
        assertThat(result.err()).contains("Bearer token for " + audience, "client " + clientId,
                "expires in 86400 s", "scope: read:a write:a");
    }

    @Test
    void asksForTheScopesGiven() throws Exception {
        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", clientSecret,
                "--audience", audience, "--scope", "read:a");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(SignedJWT.parse(result.out().strip()).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("read:a");
    }

    @Test
    void withJsonPrintsTheWholeTokenResponse() {
        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", clientSecret,
                "--audience", audience, "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(result.json().path("expires_in").asInt()).isEqualTo(86400);
        assertThat(result.json().path("access_token").asText()).contains(".");
    }

    @Test
    void withoutClientFlagsGetsAManagementTokenForTheBootstrapClient() throws Exception {
        Cli.Result result = admin(server, "token");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        SignedJWT jwt = SignedJWT.parse(result.out().strip());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(server.managementAudience());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(server.bootstrapClientId() + "@clients");
        assertThat(result.err()).contains("the bootstrap", "read:clients");
    }

    @Test
    void aWrongSecretReportsInvalidClient() {
        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", "wrong-secret",
                "--audience", audience);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("No token for client " + clientId, "invalid_client", "401",
                "Check the client id and secret");
    }

    @Test
    void aMissingGrantSaysHowToCreateIt() {
        String other = "https://other-" + UUID.randomUUID() + ".example.com/";
        server.createApi("{\"identifier\":\"" + other + "\"}");

        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", clientSecret,
                "--audience", other);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("access_denied", "403",
                "./latchkey grants create --client-id " + clientId + " --audience " + other);
    }

    @Test
    void aScopeNotGrantedIsRefused() {
        Cli.Result result = at(server, "token", "--client-id", clientId, "--client-secret", clientSecret,
                "--audience", audience, "--scope", "admin:a");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Client has not been granted scopes: admin:a");
    }

    @Test
    void aClientIdWithoutSecretIsAUsageError() {
        Cli.Result result = at(server, "token", "--client-id", clientId, "--audience", audience);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Give --client-id and --client-secret together");
    }
}
