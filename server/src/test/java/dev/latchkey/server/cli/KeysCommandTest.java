package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.latchkey.server.cli.Cli.admin;
import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listShowsTheCurrentAndTheNextKey() {
        Cli.Result result = admin(server, "keys", "list");
        Cli.Result json = admin(server, "keys", "list", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("KID", "STATE", "current", "next");
        assertThat(json.json()).hasSize(2);
        assertThat(result.out()).contains(json.json().get(0).path("kid").asText(), json.json().get(1).path("kid").asText());
    }

    @Test
    void rotateMakesTheNextKeyCurrentAndOldTokensStillVerify() {
        String before = admin(server, "token").out().strip();
        String next = kid(admin(server, "keys", "list", "--json").json(), "next");

        Cli.Result result = admin(server, "keys", "rotate");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("new tokens are signed with " + next);
        JsonNode keys = admin(server, "keys", "list", "--json").json();
        assertThat(kid(keys, "current")).isEqualTo(next);
        assertThat(kid(keys, "previous")).isNotNull();
        Cli.Result decoded = Cli.at(server, "decode", before);
        assertThat(decoded.exitCode()).as(decoded.toString()).isZero();
        assertThat(decoded.out()).contains("signature: valid (kid " + kid(keys, "previous") + ", RS256)");
    }

    @Test
    void rotateWithJsonPrintsTheServersAnswer() {
        Cli.Result result = admin(server, "keys", "rotate", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("kid").asText()).isNotEmpty();
        assertThat(result.json().path("cert").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    private static String kid(JsonNode keys, String state) {
        for (JsonNode key : keys) {
            if (key.path(state).asBoolean()) {
                return key.path("kid").asText();
            }
        }
        return null;
    }
}
