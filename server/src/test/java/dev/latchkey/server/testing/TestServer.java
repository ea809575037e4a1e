package dev.latchkey.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.server.Latchkey;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.identity.Argon2Cost;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A real Latchkey on a free port with its own database (a fresh in-memory H2 unless a URL is
 * given) and its own data directory, plus the HTTP calls tests make against it.
 */
public final class TestServer implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** A cheap Argon2id cost so tests that create users stay fast; production uses {@link Argon2Cost#OWASP}. */
    public static final Argon2Cost CHEAP_PASSWORDS = new Argon2Cost(256, 1, 1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Latchkey latchkey;
    private final Path dataDir;
    private final HttpClient http;
    private String managementToken;

    private TestServer(Latchkey latchkey, Path dataDir) {
        this.latchkey = latchkey;
        this.dataDir = dataDir;
        Path certificate = latchkey.settings().tlsCertFile();
        this.http = certificate == null ? HTTP : clientBuilder().build();
    }

    /** A client builder that trusts this server's certificate when it serves HTTPS. */
    public HttpClient.Builder clientBuilder() {
        Path certificate = latchkey.settings().tlsCertFile();
        HttpClient.Builder builder = HttpClient.newBuilder();
        return certificate == null ? builder : builder.sslContext(trusting(readCertificate(certificate)));
    }

    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** Starts with default test settings, changed by {@code customise}. */
    public static TestServer start(UnaryOperator<Settings> customise) {
        return start(customise, CHEAP_PASSWORDS);
    }

    /** Starts with default test settings changed by {@code customise}, hashing passwords at {@code cost}. */
    public static TestServer start(UnaryOperator<Settings> customise, Argon2Cost cost) {
        return start(customise, cost, Latchkey.KEY_RING_RELOAD);
    }

    /** Starts as {@link #start(UnaryOperator)}, re-reading the signing keys every {@code keyRingReload}. */
    public static TestServer start(UnaryOperator<Settings> customise, Duration keyRingReload) {
        return start(customise, CHEAP_PASSWORDS, keyRingReload);
    }

    /** Starts with default test settings on {@code clock}, which the test moves instead of waiting. */
    public static TestServer start(Clock clock) {
        return start(UnaryOperator.identity(), CHEAP_PASSWORDS, Latchkey.KEY_RING_RELOAD, clock);
    }

    /** Starts with default test settings changed by {@code customise}, on {@code clock}. */
    public static TestServer start(UnaryOperator<Settings> customise, Clock clock) {
        return start(customise, CHEAP_PASSWORDS, Latchkey.KEY_RING_RELOAD, clock);
    }

    private static TestServer start(UnaryOperator<Settings> customise, Argon2Cost cost, Duration keyRingReload) {
        return start(customise, cost, keyRingReload, Clock.systemUTC());
    }

    private static TestServer start(UnaryOperator<Settings> customise, Argon2Cost cost, Duration keyRingReload,
                                    Clock clock) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("latchkey-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestServer(Latchkey.start(customise.apply(defaults(freePort(), dataDir)), cost, keyRingReload,
                clock), dataDir);
    }

    public static Settings defaults(int port, Path dataDir) {
        return new Settings(port, Settings.DEFAULT_BIND, Settings.normaliseIssuer("http://localhost:" + port + "/"),
                dataDir, "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null,
                Base64.getEncoder().encodeToString(new byte[32]), null, null, null, null, List.of(), null);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Latchkey latchkey() {
        return latchkey;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The issuer, e.g. {@code http://localhost:41234/}. */
    public String issuer() {
        return latchkey.settings().issuerString();
    }

    /** The base URL to send requests to (the loopback address the server is bound to; HTTPS when it serves TLS). */
    public String baseUrl() {
        return (latchkey.settings().tlsCertFile() == null ? "http" : "https") + "://127.0.0.1:" + latchkey.port() + "/";
    }

    public String managementAudience() {
        return latchkey.settings().managementAudience();
    }

    public String bootstrapClientId() {
        return latchkey.bootstrapCredentials().clientId();
    }

    public String bootstrapClientSecret() {
        return latchkey.bootstrapCredentials().clientSecret();
    }

    /** A Management API token for the bootstrap client (every scope), fetched once. */
    public String managementToken() {
        if (managementToken == null) {
            HttpResponse<String> response = postForm("oauth/token", "grant_type=client_credentials&client_id="
                    + bootstrapClientId() + "&client_secret=" + bootstrapClientSecret()
                    + "&audience=" + managementAudience());
            managementToken = json(response).path("access_token").asText();
        }
        return managementToken;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> postForm(String path, String form) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A Management API call with the bootstrap token; {@code body} may be null. */
    public HttpResponse<String> management(String method, String path, String body) {
        HttpResponse<String> response = managementOnce(method, path, body);
        if (response.statusCode() == 401 && response.body().contains("Expired token")) {
            // A test moved the server's clock past the token's lifetime: fetch a new one.
            managementToken = null;
            response = managementOnce(method, path, body);
        }
        return response;
    }

    private HttpResponse<String> managementOnce(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + managementToken());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Creates an API and returns its JSON. */
    public JsonNode createApi(String json) {
        return created(management("POST", "api/v2/resource-servers", json));
    }

    /** Creates a client and returns its JSON (with {@code client_secret}). */
    public JsonNode createClient(String json) {
        return created(management("POST", "api/v2/clients", json));
    }

    /** Grants a client scopes on an API. */
    public JsonNode grant(String clientId, String audience, String... scopes) {
        try {
            return created(management("POST", "api/v2/client-grants", JSON.writeValueAsString(
                    java.util.Map.of("client_id", clientId, "audience", audience, "scope", List.of(scopes)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + (path.startsWith("/") ? path.substring(1) : path));
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static JsonNode created(HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Expected 201, got " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /** An SSL context that trusts {@code certificate} alone (a test server's self-signed one). */
    public static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("latchkey", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot read the test server's certificate " + pem, e);
        }
    }

    @Override
    public void close() {
        latchkey.close();
    }
}
