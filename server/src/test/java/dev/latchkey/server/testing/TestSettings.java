package dev.latchkey.server.testing;

import dev.latchkey.server.config.Settings;
import dev.latchkey.server.ratelimit.RateLimits;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Copies of {@link Settings} with one group of values changed, for {@link TestServer#start}. */
public final class TestSettings {

    private TestSettings() {
    }

    public static Settings withIssuer(Settings s, String issuer) {
        return new Settings(s.port(), s.bind(), Settings.normaliseIssuer(issuer), s.dataDir(), s.databaseUrl(),
                s.databaseUser(), s.databasePassword(), s.masterKey(), s.bootstrapClientId(),
                s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(), s.metricsToken());
    }

    public static Settings withDatabase(Settings s, String url, String user) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), url, user, null, s.masterKey(),
                s.bootstrapClientId(), s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(),
                s.metricsToken());
    }

    public static Settings withBootstrapClient(Settings s, String clientId, String clientSecret) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), s.databaseUrl(), s.databaseUser(),
                s.databasePassword(), s.masterKey(), clientId, clientSecret, s.tlsCertFile(), s.tlsKeyFile(),
                s.trustedProxies(), s.metricsToken());
    }

    /** HTTPS from PEM files, with the issuer switched to {@code https://localhost:<port>/}. */
    public static Settings withTls(Settings s, Path certFile, Path keyFile) {
        return new Settings(s.port(), s.bind(), Settings.normaliseIssuer("https://localhost:" + s.port() + "/"),
                s.dataDir(), s.databaseUrl(), s.databaseUser(), s.databasePassword(), s.masterKey(),
                s.bootstrapClientId(), s.bootstrapClientSecret(), certFile, keyFile, s.trustedProxies(),
                s.metricsToken());
    }

    public static Settings withTrustedProxies(Settings s, List<String> trustedProxies) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), s.databaseUrl(), s.databaseUser(),
                s.databasePassword(), s.masterKey(), s.bootstrapClientId(), s.bootstrapClientSecret(),
                s.tlsCertFile(), s.tlsKeyFile(), trustedProxies, s.metricsToken());
    }

    /** {@code /metrics} behind {@code Authorization: Bearer <token>}. */
    public static Settings withMetricsToken(Settings s, String token) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), s.databaseUrl(), s.databaseUser(),
                s.databasePassword(), s.masterKey(), s.bootstrapClientId(), s.bootstrapClientSecret(),
                s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(), token);
    }

    /** Networks not counted against the per-network ceiling of failed logins. */
    public static Settings withTrustedNetworks(Settings s, List<String> trustedNetworks) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), s.databaseUrl(), s.databaseUser(),
                s.databasePassword(), s.masterKey(), s.bootstrapClientId(), s.bootstrapClientSecret(),
                s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(), s.metricsToken(), trustedNetworks);
    }

    /** Other rate limits; apply it last, after the helpers above, which keep the defaults. */
    public static Settings withRateLimits(Settings s, RateLimits limits) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), s.databaseUrl(), s.databaseUser(),
                s.databasePassword(), s.masterKey(), s.bootstrapClientId(), s.bootstrapClientSecret(), s.tlsCertFile(),
                s.tlsKeyFile(), s.trustedProxies(), s.metricsToken(), s.trustedNetworks(), limits);
    }
}
