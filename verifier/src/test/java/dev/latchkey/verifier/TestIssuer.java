package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A small OpenID issuer for tests, on a random port of 127.0.0.1: serves discovery, a JWKS with a chosen
 * {@code Cache-Control}, and userinfo for registered opaque tokens; counts requests; rotates keys; can go
 * down. Mints Latchkey-shaped access tokens with its current key.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String API = "https://example.com/health-api";
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String USERINFO_PATH = "/userinfo";

    private final HttpServer server;
    private final String issuer;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> opaqueTokens = new ConcurrentHashMap<>();
    private volatile RSAKey current;
    private volatile String cacheControl = "public, max-age=600";
    private volatile boolean down;
    private volatile String advertisedIssuer;

    public TestIssuer() throws IOException {
        this(0);
    }

    /** @param keyIndex which shared test key signs first (issuers in one test get different ones) */
    public TestIssuer(int keyIndex) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        advertisedIssuer = issuer;
        current = TestKeys.rsa(keyIndex, "key-" + keyIndex);
        published.add(current);
        server.createContext("/", this::handle);
        server.start();
    }

    public String issuer() {
        return issuer;
    }

    public RSAKey currentKey() {
        return current;
    }

    /** An {@link AccessTokenVerifier} builder for this issuer and {@link #API}. */
    public AccessTokenVerifier.Builder verifier() {
        return AccessTokenVerifier.builder().issuer(issuer).audience(API);
    }

    public int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    public void cacheControl(String value) {
        cacheControl = value;
    }

    /** Answers every request with 503 while down. */
    public void down(boolean down) {
        this.down = down;
    }

    public void advertiseIssuer(String value) {
        advertisedIssuer = value;
    }

    /** Makes {@code next} the signing key; the old one stays published unless {@code dropOld}. */
    public void rotate(RSAKey next, boolean dropOld) {
        if (dropOld) {
            published.clear();
        }
        published.add(next);
        current = next;
    }

    public void acceptOpaque(String token, Map<String, Object> userinfo) {
        opaqueTokens.put(token, userinfo);
    }

    /** The claims of a Latchkey access token for {@link #API}: a user token with scope and permissions. */
    public JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("auth0|123456")
                .audience(List.of(API, issuer + "userinfo"))
                .claim("azp", "my_client_id")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("scope", "openid profile read:patients")
                .claim("permissions", List.of("read:patients"))
                .jwtID("jti-" + now.toEpochMilli());
    }

    /** The header Latchkey puts on access tokens: RS256, typ JWT, the current kid. */
    public JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(current.getKeyID());
    }

    public String token() {
        return sign(header().build(), claims().build());
    }

    public String token(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return sign(header().build(), claims.apply(claims()).build());
    }

    public String sign(JWSHeader header, JWTClaimsSet claims) {
        return sign(header, claims, current);
    }

    /** Signs with any key, e.g. an attacker's. */
    public String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            if (down) {
                respond(exchange, 503, "{\"error\":\"temporarily_unavailable\"}");
            } else if (path.equals(DISCOVERY_PATH)) {
                respond(exchange, 200, JSONObjectUtils.toJSONString(Map.of(
                        "issuer", advertisedIssuer,
                        "jwks_uri", issuer + JWKS_PATH.substring(1),
                        "userinfo_endpoint", issuer + USERINFO_PATH.substring(1))));
            } else if (path.equals(JWKS_PATH)) {
                exchange.getResponseHeaders().set("Cache-Control", cacheControl);
                List<JWK> keys = new ArrayList<>(published);
                respond(exchange, 200, new JWKSet(keys).toString(true));
            } else if (path.equals(USERINFO_PATH)) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                Map<String, Object> userinfo = authorization == null ? null
                        : opaqueTokens.get(authorization.substring("Bearer ".length()));
                if (userinfo == null) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                    respond(exchange, 401, "{\"error\":\"invalid_token\"}");
                } else {
                    respond(exchange, 200, JSONObjectUtils.toJSONString(userinfo));
                }
            } else {
                respond(exchange, 404, "{}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops answering at all: connections are refused from now on. */
    @Override
    public void close() {
        server.stop(0);
    }
}
