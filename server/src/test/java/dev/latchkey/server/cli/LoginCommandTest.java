package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Main;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code latchkey login --device} (RFC 8628): prints where to go and the code, polls, prints the tokens. */
class LoginCommandTest {

    static final Pattern CODE = Pattern.compile("enter the code ([A-Z]{4}-[A-Z]{4})");
    static TestServer server;
    static String tvApp;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        tvApp = server.createClient("""
                {"name":"Terminal","app_type":"native","grant_types":["urn:ietf:params:oauth:grant-type:device_code"]}""")
                .path("client_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void printsTheCodeThenTheTokensOnceTheUserConfirms() throws Exception {
        TestUsers.create(server, "terminal-user@example.com");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> command.execute("login", "--device",
                "--client-id", tvApp, "--scope", "openid email", "--issuer", server.issuer()));

        String userCode = eventually(() -> {
            Matcher matcher = CODE.matcher(err.toString());
            return matcher.find() ? matcher.group(1) : null;
        }, code -> code != null);
        assertThat(err.toString()).contains(server.issuer() + "activate");
        Browser browser = new Browser(server);
        assertThat(browser.post("activate", Map.of("user_code", userCode)).statusCode()).isEqualTo(302);
        browser.logIn("terminal-user@example.com", TestUsers.PASSWORD);
        browser.follow();
        HttpResponse<String> done = browser.submit("u/consent", Map.of("action", "accept"));
        assertThat(done.body()).contains("Device connected");

        assertThat(run.get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)).as(err.toString()).isZero();
        JsonNode tokens = TestServer.JSON.readTree(out.toString());
        assertThat(tokens.path("access_token").asText()).isNotEmpty();
        assertThat(tokens.path("id_token").asText()).isNotEmpty();
    }

    @Test
    void saysWhyWhenTheClientMayNotUseTheDeviceFlow() {
        String other = server.createClient("""
                {"name":"No devices","app_type":"native","grant_types":["authorization_code"]}""")
                .path("client_id").asText();
        Cli.Result result = Cli.at(server, "login", "--device", "--client-id", other);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("unauthorized_client");
    }
}
