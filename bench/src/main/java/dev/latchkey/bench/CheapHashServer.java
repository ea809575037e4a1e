package dev.latchkey.bench;

import dev.latchkey.server.Latchkey;
import dev.latchkey.server.config.Settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The server on the embedded database with another Argon2id cost for new password hashes, so that a login load
 * at a cheap cost measures everything a login costs but the hash (what the flow adds to it):
 * <pre>
 * java -cp server/target/latchkey.jar:bench/target/benchmarks.jar dev.latchkey.bench.CheapHashServer
 *     --port 8080 --data-dir DIR --cost 8:1:1
 * </pre>
 * Listens on 127.0.0.1 with the issuer {@code http://127.0.0.1:<port>/}, like {@code bench/lib.sh}'s servers;
 * {@code --cost} is {@code m:t:p} (KiB, passes, lanes) or {@code OWASP}, the server's default.
 */
public final class CheapHashServer {

    private CheapHashServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = AuthCodeLoad.options(args);
        int port = Integer.parseInt(AuthCodeLoad.required(options, "port"));
        Path dataDir = Path.of(AuthCodeLoad.required(options, "data-dir"));
        String cost = options.getOrDefault("cost", "OWASP");
        Settings settings = new Settings(port, "127.0.0.1", URI.create("http://127.0.0.1:" + port + "/"), dataDir,
                "jdbc:h2:file:" + dataDir.resolve("latchkey"), null, null, null, null, null, null, null, List.of(),
                null);
        Latchkey server = Latchkey.start(settings, PasswordHashBenchmark.parse(cost));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Latchkey (Argon2id " + cost + ") is ready on http://127.0.0.1:" + server.port());
        Thread.currentThread().join();
    }
}
