package dev.latchkey.server.config;

import dev.latchkey.server.ratelimit.RateLimits;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the server is configured with. Built once from the environment and the {@code serve}
 * flags (flags win); see DESIGN §1 for the contract of each value.
 */
public record Settings(
        int port,
        String bind,
        URI issuer,
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String masterKey,
        String bootstrapClientId,
        String bootstrapClientSecret,
        Path tlsCertFile,
        Path tlsKeyFile,
        List<String> trustedProxies,
        String metricsToken,
        List<String> trustedNetworks,
        RateLimits rateLimits) {

    public static final String DEFAULT_BIND = "127.0.0.1";

    public Settings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("LATCHKEY_PORT must be between 0 and 65535, got " + port);
        }
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new IllegalArgumentException(
                    "LATCHKEY_TLS_CERT_FILE and LATCHKEY_TLS_KEY_FILE must be given together");
        }
        trustedProxies = List.copyOf(trustedProxies);
        trustedNetworks = List.copyOf(trustedNetworks);
        if (rateLimits == null) {
            rateLimits = RateLimits.DEFAULTS;
        }
    }

    /** With the default rate limits. */
    public Settings(int port, String bind, URI issuer, Path dataDir, String databaseUrl, String databaseUser,
                    String databasePassword, String masterKey, String bootstrapClientId, String bootstrapClientSecret,
                    Path tlsCertFile, Path tlsKeyFile, List<String> trustedProxies, String metricsToken,
                    List<String> trustedNetworks) {
        this(port, bind, issuer, dataDir, databaseUrl, databaseUser, databasePassword, masterKey, bootstrapClientId,
                bootstrapClientSecret, tlsCertFile, tlsKeyFile, trustedProxies, metricsToken, trustedNetworks,
                RateLimits.DEFAULTS);
    }

    /** Without trusted networks: every address counts against the per-network login ceiling. */
    public Settings(int port, String bind, URI issuer, Path dataDir, String databaseUrl, String databaseUser,
                    String databasePassword, String masterKey, String bootstrapClientId, String bootstrapClientSecret,
                    Path tlsCertFile, Path tlsKeyFile, List<String> trustedProxies, String metricsToken) {
        this(port, bind, issuer, dataDir, databaseUrl, databaseUser, databasePassword, masterKey, bootstrapClientId,
                bootstrapClientSecret, tlsCertFile, tlsKeyFile, trustedProxies, metricsToken, List.of());
    }

    /** Without the secrets (master key, database password, bootstrap secret, metrics token). */
    @Override
    public String toString() {
        return "Settings[port=" + port + ", bind=" + bind + ", issuer=" + issuer + ", dataDir=" + dataDir
                + ", databaseUrl=" + dev.latchkey.server.store.Database.redact(databaseUrl)
                + ", databaseUser=" + databaseUser + ", bootstrapClientId=" + bootstrapClientId
                + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile=" + tlsKeyFile + ", trustedProxies=" + trustedProxies
                + ", trustedNetworks=" + trustedNetworks + ", rateLimits=" + rateLimits + ", secrets redacted]";
    }

    public boolean tls() {
        return tlsCertFile != null;
    }

    public boolean postgres() {
        return databaseUrl.startsWith("jdbc:postgresql:");
    }

    /** The issuer as a string, always ending with a slash (Auth0: {@code https://{domain}/}). */
    public String issuerString() {
        return issuer.toString();
    }

    /** The audience of the Management API: {@code <issuer>api/v2/}. */
    public String managementAudience() {
        return issuerString() + "api/v2/";
    }

    /**
     * Normalises an issuer: absolute http(s) URL, no query or fragment, trailing slash added.
     */
    public static URI normaliseIssuer(String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LATCHKEY_ISSUER is not a URL: " + value);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("LATCHKEY_ISSUER must start with http:// or https://, got " + value);
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("LATCHKEY_ISSUER must be a plain URL with a host and no query: " + value);
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text : text + "/");
    }
}
