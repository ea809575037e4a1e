package dev.latchkey.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node scripts in {@code src/test/node} (third-party clients: openid-client, Auth0's Node SDK
 * auth0, auth0-spa-js with playwright-core). Their packages are installed by {@code npm ci} there (see .ci/run). Without
 * them the peer tests are skipped with a loud message, except under CI ({@code CI=true}), where a
 * missing install is a failure.
 */
public final class NodePeers {

    public static final Path DIRECTORY = Path.of(System.getProperty("basedir", "."), "src", "test", "node");

    private NodePeers() {
    }

    /** Skips (or, under CI, fails) unless node and the packages are installed. */
    public static void require(String... packages) {
        String problem = null;
        if (!Files.isDirectory(DIRECTORY.resolve("node_modules"))) {
            problem = "no " + DIRECTORY.resolve("node_modules") + ": run `npm ci` in " + DIRECTORY;
        } else {
            for (String name : packages) {
                if (!Files.isDirectory(DIRECTORY.resolve("node_modules").resolve(name))) {
                    problem = "package " + name + " missing: run `npm ci` in " + DIRECTORY;
                }
            }
        }
        if (problem == null && !onPath("node")) {
            problem = "node is not on the PATH";
        }
        skipOrFail(problem);
    }

    /** Skips (or, under CI, fails) unless Debian's Chromium is installed ({@code apt-get install chromium}). */
    public static void requireChromium() {
        skipOrFail(Files.isExecutable(CHROMIUM) ? null : CHROMIUM + " is missing: apt-get install -y chromium");
    }

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static void skipOrFail(String problem) {
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("Peer test cannot run under CI: " + problem);
            }
            System.err.println("\n*** PEER TEST SKIPPED: " + problem + " ***\n");
            Assumptions.abort("Peer test skipped: " + problem);
        }
    }

    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The environment of a script that logs {@code email} in to a confidential {@code client} (code
     * flow for {@code audience}), then moves the server's clock past the access token's lifetime
     * through {@code clock}. The caller adds how the script reaches the server.
     */
    public static Map<String, String> codeFlowEnvironment(JsonNode client, String callback, String audience,
                                                          String email, int accessTokenLifetime, ClockControl clock) {
        Map<String, String> environment = new HashMap<>();
        environment.put("CLIENT_ID", client.path("client_id").asText());
        environment.put("CLIENT_SECRET", client.path("client_secret").asText());
        environment.put("CALLBACK", callback);
        environment.put("AUDIENCE", audience);
        environment.put("EMAIL", email);
        environment.put("PASSWORD", TestUsers.PASSWORD);
        environment.put("ACCESS_TOKEN_LIFETIME", Integer.toString(accessTokenLifetime));
        environment.put("CLOCK_URL", clock.url());
        return environment;
    }

    /** Runs {@code node <script>} with extra environment; returns its exit code and output. */
    public static Result run(String script, Map<String, String> environment, long timeoutSeconds) {
        try {
            Path log = Files.createTempFile("node-peer", ".log");
            ProcessBuilder builder = new ProcessBuilder("node", script).directory(DIRECTORY.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run node " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String output) {
    }
}
