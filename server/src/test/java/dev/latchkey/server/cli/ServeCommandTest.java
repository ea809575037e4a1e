package dev.latchkey.server.cli;

import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;
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

    @Test
    void aBadTrustedProxyEntryIsAUsageError(@TempDir Path dataDir) {
        Cli.Result result = Cli.run("serve", "--stop-when-ready", "--port", "0", "--data-dir", dataDir.toString(),
                "--trusted-proxies", "proxy.internal");
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
}
