package dev.latchkey.server.cli;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What the commands say when the server, the issuer or the credentials are not right. */
class ConnectionErrorsTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    @Test
    void aServerThatIsNotRunningIsReportedWithWhatToDo() {
        String down = "http://localhost:" + TestServer.freePort() + "/";

        Cli.Result list = Cli.run("apis", "list", "--issuer", down, "--bootstrap-client-id", "id",
                "--bootstrap-client-secret", "secret");
        Cli.Result token = Cli.run("token", "--issuer", down, "--client-id", "id", "--client-secret", "secret");
        Cli.Result decode = Cli.run("decode", server.managementToken(), "--issuer", down);

        for (Cli.Result result : new Cli.Result[] {list, token, decode}) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).as(result.toString())
                    .contains("Cannot reach Latchkey at " + down + ". Is `./latchkey serve` running?");
        }
    }

    @Test
    void readsTheBootstrapCredentialsFromTheDataDirectory() {
        Cli.Result result = Cli.run("clients", "list", "--issuer", server.issuer(),
                "--data-dir", server.dataDir().toString(), "--bootstrap-client-id=", "--bootstrap-client-secret=");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains(server.bootstrapClientId());
    }

    @Test
    void missingCredentialsSayWhereTheyAreLookedFor(@TempDir Path empty) {
        Cli.Result result = Cli.run("apis", "list", "--issuer", server.issuer(), "--data-dir", empty.toString(),
                "--bootstrap-client-id=", "--bootstrap-client-secret=");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("No bootstrap credentials: " + empty.resolve("bootstrap.json") + " does not exist",
                "--data-dir", "LATCHKEY_BOOTSTRAP_CLIENT_ID");
    }

    @Test
    void anUnreadableCredentialsFileIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bootstrap.json"), "{not json");

        Cli.Result result = Cli.run("apis", "list", "--issuer", server.issuer(), "--data-dir", dir.toString(),
                "--bootstrap-client-id=", "--bootstrap-client-secret=");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Cannot read " + dir.resolve("bootstrap.json"));
    }

    @Test
    void halfTheCredentialsIsAUsageError() {
        Cli.Result result = Cli.run("apis", "list", "--issuer", server.issuer(),
                "--bootstrap-client-id", server.bootstrapClientId(), "--bootstrap-client-secret=");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Set both LATCHKEY_BOOTSTRAP_CLIENT_ID and LATCHKEY_BOOTSTRAP_CLIENT_SECRET");
    }

    @Test
    void credentialsOfAnotherServerAreRejectedWithAHint() {
        Cli.Result result = Cli.run("apis", "list", "--issuer", server.issuer(),
                "--bootstrap-client-id", server.bootstrapClientId(), "--bootstrap-client-secret", "not-the-secret");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("The server rejected the bootstrap credentials", "invalid_client",
                "--data-dir");
    }

    @Test
    void anIssuerOtherThanTheServersIsExplained() {
        String loopback = server.issuer().replace("localhost", "127.0.0.1");

        Cli.Result result = Cli.run("apis", "list", "--issuer", loopback,
                "--bootstrap-client-id", server.bootstrapClientId(),
                "--bootstrap-client-secret", server.bootstrapClientSecret());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("No Management API token", "Is --issuer (" + loopback
                + ") exactly the issuer `./latchkey serve` printed at start?");
    }

    @Test
    void anIssuerThatIsNotAUrlIsAUsageError() {
        Cli.Result result = Cli.run("apis", "list", "--issuer", "localhost:8080",
                "--bootstrap-client-id", "id", "--bootstrap-client-secret", "secret");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid --issuer 'localhost:8080'");
    }

    @Test
    void aServerThatIsNotLatchkeyIsReported() throws IOException {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<html>Welcome</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        other.start();
        try {
            String issuer = "http://127.0.0.1:" + other.getAddress().getPort() + "/";
            Cli.Result result = Cli.run("token", "--issuer", issuer, "--client-id", "a", "--client-secret", "b");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("answered HTTP 200 with something other than JSON", "check --issuer");
        } finally {
            other.stop(0);
        }
    }
}
