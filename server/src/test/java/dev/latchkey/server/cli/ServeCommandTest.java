package dev.latchkey.server.cli;

import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code latchkey serve} as the launcher uses it. */
class ServeCommandTest {

    @Test
    void stopWhenReadyStartsCompletelyThenExitsCleanly(@TempDir Path dataDir) {
        // The launcher's class-data archive run: a whole start, then a normal exit (the JVM writes
        // the archive only on a clean exit).
        Cli.Result result = Cli.run("serve", "--stop-when-ready", "--port", String.valueOf(TestServer.freePort()),
                "--data-dir", dataDir.toString(), "--issuer", "http://localhost/", "--master-key",
                java.util.Base64.getEncoder().encodeToString(new byte[32]));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.exists(dataDir.resolve("bootstrap.json"))).isTrue();
        assertThat(Files.exists(dataDir.resolve("latchkey.mv.db"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"--trusted-proxies, proxy.internal", "--trusted-networks, '10.0.0.0/8,office'"})
    void aBadAddressListIsAUsageError(String flag, String value, @TempDir Path dataDir) {
        Cli.Result result = Cli.run("serve", "--stop-when-ready", "--port", "0", "--data-dir", dataDir.toString(),
                flag, value);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(Files.exists(dataDir.resolve("latchkey.mv.db"))).as("nothing started").isFalse();
    }

    @Test
    void theMetricsTokenFlagReachesTheSettings(@TempDir Path dataDir) {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--data-dir", dataDir.toString(), "--metrics-token", " scrape-1 ");
        assertThat(serve.settings().metricsToken()).isEqualTo(" scrape-1 ");

        ServeCommand open = new ServeCommand();
        new picocli.CommandLine(open).parseArgs("--data-dir", dataDir.toString(), "--metrics-token", " ");
        assertThat(open.settings().metricsToken()).isNull();
    }

    @Test
    void anEnvironmentValueBeginningWithADashIsAValue(@TempDir Path dataDir) throws Exception {
        // A generated secret may begin with "-": a value from the environment is a value whatever its first
        // character, never read as options (-h printed help and the server did not start). The environment
        // can only be set for a new process.
        ProcessBuilder serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), dev.latchkey.server.Main.class.getName(),
                "serve", "--stop-when-ready", "--port", "0", "--data-dir", dataDir.toString())
                .redirectErrorStream(true);
        serve.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        serve.environment().put("LATCHKEY_ISSUER", "http://localhost/");
        serve.environment().put("LATCHKEY_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        serve.environment().put("LATCHKEY_BOOTSTRAP_CLIENT_ID", "-dash-client");
        serve.environment().put("LATCHKEY_BOOTSTRAP_CLIENT_SECRET", "-habc" + "x".repeat(40));
        Process process = serve.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Latchkey is ready", "bootstrap client: -dash-client").doesNotContain("Usage:");
    }

    @Test
    void aFlagValueBeginningWithADashIsAValue(@TempDir Path dataDir) {
        Cli.Result result = Cli.run("serve", "--stop-when-ready", "--port", "0", "--data-dir", dataDir.toString(),
                "--issuer", "http://localhost/", "--master-key",
                java.util.Base64.getEncoder().encodeToString(new byte[32]), "--bootstrap-client-id", "dash-client",
                "--bootstrap-client-secret", "-Vabc" + "x".repeat(40));
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void theTrustedNetworksFlagReachesTheSettings(@TempDir Path dataDir) {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--data-dir", dataDir.toString(), "--trusted-networks",
                "10.0.0.0/8, 2001:db8::/32");
        assertThat(serve.settings().trustedNetworks()).containsExactly("10.0.0.0/8", " 2001:db8::/32");
    }

    @Test
    void theRateLimitFlagsReachTheSettings(@TempDir Path dataDir) {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--data-dir", dataDir.toString(), "--rate-limit-address", "10,5/s",
                "--rate-limit-management", "200,60/s");
        var limits = serve.settings().rateLimits();
        assertThat(limits.address()).hasToString("10,5/s");
        assertThat(limits.managementToken()).hasToString("200,60/s");
        assertThat(limits.client()).isEqualTo(dev.latchkey.server.ratelimit.RateLimits.DEFAULTS.client());

        ServeCommand bad = new ServeCommand();
        new picocli.CommandLine(bad).parseArgs("--data-dir", dataDir.toString(), "--rate-limit-client", "lots");
        org.assertj.core.api.Assertions.assertThatThrownBy(bad::settings)
                .hasMessageContaining("LATCHKEY_RATE_LIMIT_CLIENT");
    }
}
