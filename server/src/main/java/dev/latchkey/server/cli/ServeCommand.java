package dev.latchkey.server.cli;

import dev.latchkey.server.Latchkey;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.http.AddressRanges;
import dev.latchkey.server.http.TrustedProxies;
import dev.latchkey.server.ratelimit.RateLimits;
import dev.latchkey.server.management.ManagementBootstrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code latchkey serve}: runs the server. Every flag also reads its {@code LATCHKEY_*} variable. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the authorization server.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:LATCHKEY_PORT:-8080}",
            description = "HTTP port (LATCHKEY_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "${env:LATCHKEY_BIND:-127.0.0.1}",
            description = "Address to listen on (LATCHKEY_BIND, default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--issuer", defaultValue = "${env:LATCHKEY_ISSUER}",
            description = "Issuer URL, with a trailing slash (LATCHKEY_ISSUER, default http://localhost:<port>/).")
    String issuer;

    @Option(names = "--data-dir", defaultValue = "${env:LATCHKEY_DATA_DIR:-./data}",
            description = "Where the embedded database, master key and bootstrap credentials live (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:LATCHKEY_DATABASE_URL}",
            description = "JDBC URL (LATCHKEY_DATABASE_URL, default jdbc:h2:file:<data-dir>/latchkey).")
    String databaseUrl;

    @Option(names = "--database-user", defaultValue = "${env:LATCHKEY_DATABASE_USER}",
            description = "Database user (LATCHKEY_DATABASE_USER).")
    String databaseUser;

    @Option(names = "--database-password", defaultValue = "${env:LATCHKEY_DATABASE_PASSWORD}",
            description = "Database password (LATCHKEY_DATABASE_PASSWORD).")
    String databasePassword;

    @Option(names = "--master-key", defaultValue = "${env:LATCHKEY_MASTER_KEY}",
            description = "Base64 256-bit key sealing secrets at rest (LATCHKEY_MASTER_KEY, default generated into <data-dir>/master.key).")
    String masterKey;

    @Option(names = "--bootstrap-client-id", defaultValue = "${env:LATCHKEY_BOOTSTRAP_CLIENT_ID}",
            description = "Client id of the Management API bootstrap client (LATCHKEY_BOOTSTRAP_CLIENT_ID).")
    String bootstrapClientId;

    @Option(names = "--bootstrap-client-secret", defaultValue = "${env:LATCHKEY_BOOTSTRAP_CLIENT_SECRET}",
            description = "Its secret (LATCHKEY_BOOTSTRAP_CLIENT_SECRET).")
    String bootstrapClientSecret;

    @Option(names = "--tls-cert-file", defaultValue = "${env:LATCHKEY_TLS_CERT_FILE}",
            description = "PEM certificate chain: serve HTTPS (LATCHKEY_TLS_CERT_FILE).")
    Path tlsCertFile;

    @Option(names = "--tls-key-file", defaultValue = "${env:LATCHKEY_TLS_KEY_FILE}",
            description = "PEM private key, PKCS#8 or PKCS#1, unencrypted (LATCHKEY_TLS_KEY_FILE).")
    Path tlsKeyFile;

    @Option(names = "--trusted-proxies", defaultValue = "${env:LATCHKEY_TRUSTED_PROXIES}",
            description = "Comma-separated addresses or CIDR ranges whose X-Forwarded-* headers are believed (LATCHKEY_TRUSTED_PROXIES).")
    String trustedProxies;

    @Option(names = "--trusted-networks", defaultValue = "${env:LATCHKEY_TRUSTED_NETWORKS}",
            description = "Comma-separated addresses or CIDR ranges not counted against the per-network ceiling of failed logins, e.g. an office NAT (LATCHKEY_TRUSTED_NETWORKS).")
    String trustedNetworks;

    @Option(names = "--metrics-token", defaultValue = "${env:LATCHKEY_METRICS_TOKEN}",
            description = "A secret that /metrics asks for as a Bearer token; without it /metrics answers only callers on this machine (LATCHKEY_METRICS_TOKEN).")
    String metricsToken;

    @Option(names = "--rate-limit-address", defaultValue = "${env:LATCHKEY_RATE_LIMIT_ADDRESS}",
            description = "Authentication API requests per client IP that no client secret vouches for, as burst,refill/s|min|h (LATCHKEY_RATE_LIMIT_ADDRESS, default 300,100/s).")
    String rateLimitAddress;

    @Option(names = "--rate-limit-client", defaultValue = "${env:LATCHKEY_RATE_LIMIT_CLIENT}",
            description = "Token, revocation and introspection calls per authenticated client (LATCHKEY_RATE_LIMIT_CLIENT, default 20000,10000/s).")
    String rateLimitClient;

    @Option(names = "--rate-limit-client-failures", defaultValue = "${env:LATCHKEY_RATE_LIMIT_CLIENT_FAILURES}",
            description = "Failed client authentications per client_id, across the cluster (LATCHKEY_RATE_LIMIT_CLIENT_FAILURES, default 20,10/min).")
    String rateLimitClientFailures;

    @Option(names = "--rate-limit-management", defaultValue = "${env:LATCHKEY_RATE_LIMIT_MANAGEMENT}",
            description = "Management API calls per access token, across the cluster (LATCHKEY_RATE_LIMIT_MANAGEMENT, default 100,50/s).")
    String rateLimitManagement;

    @Option(names = "--stop-when-ready", hidden = true,
            description = "Start, print the ready lines, then stop: the launcher's class-data archive run.")
    boolean stopWhenReady;

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            System.err.println("latchkey: " + e.getMessage());
            return 2;
        }
        Latchkey server;
        try {
            server = Latchkey.start(settings);
        } catch (RuntimeException e) {
            System.err.println("latchkey: cannot start: " + e.getMessage());
            return 1;
        }
        if (stopWhenReady) {
            printReady(settings, server, (System.nanoTime() - started) / 1_000_000);
            server.close();
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "latchkey-shutdown"));
        printReady(settings, server, (System.nanoTime() - started) / 1_000_000);
        stopped.await();
        return 0;
    }

    Settings settings() {
        boolean tls = tlsCertFile != null;
        String issuerValue = issuer != null && !issuer.isBlank() ? issuer
                : (tls ? "https" : "http") + "://localhost:" + port + "/";
        Path data = dataDir.normalize();
        String url = databaseUrl != null && !databaseUrl.isBlank() ? databaseUrl
                : "jdbc:h2:file:" + data.resolve("latchkey").toAbsolutePath();
        List<String> proxies = commaSeparated(trustedProxies);
        TrustedProxies.parse(proxies); // fail early, with exit code 2, on a bad entry
        List<String> networks = commaSeparated(trustedNetworks);
        AddressRanges.parse("LATCHKEY_TRUSTED_NETWORKS", networks);
        return new Settings(port, bind, Settings.normaliseIssuer(issuerValue), data, url,
                blankToNull(databaseUser), blankToNull(databasePassword), blankToNull(masterKey),
                blankToNull(bootstrapClientId), blankToNull(bootstrapClientSecret), tlsCertFile, tlsKeyFile, proxies,
                blankToNull(metricsToken), networks,
                RateLimits.of(rateLimitAddress, rateLimitClient, rateLimitClientFailures, rateLimitManagement));
    }

    private static List<String> commaSeparated(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(","));
    }

    private static void printReady(Settings settings, Latchkey server, long millis) {
        String issuer = settings.issuerString();
        System.out.println("Latchkey is ready in " + millis + " ms on " + (settings.tls() ? "https" : "http")
                + "://" + settings.bind() + ":" + server.port());
        System.out.println("  issuer:     " + issuer);
        System.out.println("  discovery:  " + issuer + ".well-known/openid-configuration");
        System.out.println("  management: " + settings.managementAudience());
        ManagementBootstrap.Credentials credentials = server.bootstrapCredentials();
        if (credentials.file() != null) {
            System.out.println("  bootstrap client credentials: " + credentials.file().toAbsolutePath()
                    + (credentials.generated() ? " (created now; keep it private)" : ""));
        } else {
            System.out.println("  bootstrap client: " + credentials.clientId() + " (from LATCHKEY_BOOTSTRAP_CLIENT_ID)");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
