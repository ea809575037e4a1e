package dev.latchkey.server.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2.0 provider in this JVM that behaves like GitHub's OAuth apps: {@code GET /login/oauth/authorize}
 * approves {@link #nextUser} at once and redirects back with {@code code} and {@code state};
 * {@code POST /login/oauth/access_token} answers form-encoded unless asked for JSON ({@code Accept}), and says
 * no with HTTP 200 and an {@code error} (as GitHub does); {@code GET /user} and {@code GET /user/emails} read
 * the bearer token. Codes are single use, bound to the redirect URI and, when a challenge came, to the PKCE
 * verifier. {@link #misbehave} makes the token or profile endpoint answer wrongly, one way at a time.
 */
public final class FakeGitHub implements AutoCloseable {

    public static final String CLIENT_ID = "Iv1.latchkeyfake";
    public static final String CLIENT_SECRET = "github-fake-secret-0123456789";

    /** A GitHub account: {@code email} is the public one on {@code /user} (null when private). */
    public record User(String login, long id, String name, String email, List<Email> emails) {
    }

    /** One entry of {@code /user/emails}. */
    public record Email(String email, boolean primary, boolean verified) {
    }

    /** Ways the provider answers wrongly. */
    public enum Misbehaviour {
        NONE, TOKEN_500, TOKEN_SLOW, TOKEN_HUGE, TOKEN_WITHOUT_ACCESS_TOKEN, TOKEN_ALWAYS_FORM, USER_WITHOUT_ID,
        USER_ID_OBJECT, USER_ID_TOO_LONG, USER_401,
        /** {@code /user} also says {@code email_verified: true}, which GitHub never does. */
        USER_SAYS_EMAIL_VERIFIED,
        /** A refresh is answered rightly, but only after {@link #SLOW_MILLIS}. */
        REFRESH_SLOW
    }

    /** How long the slow misbehaviours take to answer. */
    public static final long SLOW_MILLIS = 3000;

    private record Grant(User user, String redirectUri, String challenge) {
    }

    private final HttpServer server;
    private final String base;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, User> tokens = new ConcurrentHashMap<>();
    /** GitHub Apps' user refresh tokens: single use, each refresh gives a new one. */
    private final Map<String, User> refreshTokens = new ConcurrentHashMap<>();
    private final List<String> tokenAccepts = new ArrayList<>();
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private volatile User nextUser;
    private volatile Misbehaviour misbehaviour = Misbehaviour.NONE;
    private volatile String lastAccessToken;
    private volatile boolean lastTokenCallHadVerifier;

    private FakeGitHub(HttpServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static FakeGitHub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            FakeGitHub fake = new FakeGitHub(server);
            server.createContext("/login/oauth/authorize", fake::authorize);
            server.createContext("/login/oauth/access_token", fake::accessToken);
            server.createContext("/user/emails", fake::emails);
            server.createContext("/user", fake::user);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The options pointing a {@code github} (or {@code oauth2}) connection here. */
    public String endpointOptions() {
        return """
                "authorizationURL":"%1$s/login/oauth/authorize","tokenURL":"%1$s/login/oauth/access_token",
                "userInfoURL":"%1$s/user","userEmailsURL":"%1$s/user/emails\"""".formatted(base);
    }

    public String base() {
        return base;
    }

    public void nextUser(User user) {
        this.nextUser = user;
    }

    public void misbehave(Misbehaviour misbehaviour) {
        this.misbehaviour = misbehaviour;
    }

    /** The access token given at the last successful token call. */
    public String lastAccessToken() {
        return lastAccessToken;
    }

    /** The Accept header of every token call, in order. */
    public synchronized List<String> tokenAccepts() {
        return List.copyOf(tokenAccepts);
    }

    public boolean lastTokenCallHadVerifier() {
        return lastTokenCallHadVerifier;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = params(exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id")) || query.get("redirect_uri") == null) {
            send(exchange, 404, "text/plain", "Not Found");
            return;
        }
        String code = UUID.randomUUID().toString().replace("-", "");
        codes.put(code, new Grant(nextUser, query.get("redirect_uri"), query.get("code_challenge")));
        String location = query.get("redirect_uri") + "?" + URLUtils.serializeParameters(Map.of("code",
                List.of(code), "state", List.of(query.getOrDefault("state", ""))));
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void accessToken(HttpExchange exchange) throws IOException {
        Map<String, String> form = params(new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
        synchronized (this) {
            tokenAccepts.add(accept);
        }
        switch (misbehaviour) {
            case TOKEN_500 -> {
                send(exchange, 500, "text/html", "<html>Whoa there!</html>");
                return;
            }
            case TOKEN_SLOW -> {
                sleep(SLOW_MILLIS);
                send(exchange, 200, "application/json", "{}");
                return;
            }
            case TOKEN_HUGE -> {
                huge(exchange);
                return;
            }
            case TOKEN_WITHOUT_ACCESS_TOKEN -> {
                send(exchange, 200, "application/json", "{\"token_type\":\"bearer\",\"scope\":\"user:email\"}");
                return;
            }
            default -> {
            }
        }
        if ("refresh_token".equals(form.get("grant_type"))) {
            refresh(exchange, form, accept.contains("application/json"));
            return;
        }
        lastTokenCallHadVerifier = form.containsKey("code_verifier");
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        String error = null;
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            error = "incorrect_client_credentials";
        } else if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            error = "bad_verification_code";
        } else if (grant.challenge() != null && (form.get("code_verifier") == null || !CodeChallenge.compute(
                CodeChallengeMethod.S256, new CodeVerifier(form.get("code_verifier"))).getValue()
                .equals(grant.challenge()))) {
            error = "bad_verification_code";
        }
        boolean json = accept.contains("application/json") && misbehaviour != Misbehaviour.TOKEN_ALWAYS_FORM;
        if (error != null) {
            // GitHub: HTTP 200 with an error.
            answer(exchange, json, Map.of("error", error, "error_description", "The code passed is incorrect"));
            return;
        }
        issue(exchange, json, grant.user());
    }

    /** GitHub's user-token refresh: the client's credentials and a refresh token not spent before. */
    private void refresh(HttpExchange exchange, Map<String, String> form, boolean json) throws IOException {
        refreshCalls.incrementAndGet();
        if (misbehaviour == Misbehaviour.REFRESH_SLOW) {
            sleep(SLOW_MILLIS);
        }
        User user = form.get("refresh_token") == null ? null : refreshTokens.remove(form.get("refresh_token"));
        boolean client = CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"));
        if (user == null || !client) {
            answer(exchange, json, Map.of("error", client ? "bad_refresh_token" : "incorrect_client_credentials",
                    "error_description", "The refresh token passed is incorrect or expired."));
            return;
        }
        issue(exchange, json, user);
    }

    private void issue(HttpExchange exchange, boolean json, User user) throws IOException {
        String accessToken = "gho_" + UUID.randomUUID().toString().replace("-", "");
        String refreshToken = "ghr_" + UUID.randomUUID().toString().replace("-", "");
        tokens.put(accessToken, user);
        refreshTokens.put(refreshToken, user);
        lastAccessToken = accessToken;
        answer(exchange, json, Map.of("access_token", accessToken, "token_type", "bearer", "scope",
                "read:user,user:email", "expires_in", "28800", "refresh_token", refreshToken));
    }

    /** A refresh token for {@code user}, as a login would have given with its access token. */
    public String refreshTokenFor(User user) {
        String refreshToken = "ghr_" + UUID.randomUUID().toString().replace("-", "");
        refreshTokens.put(refreshToken, user);
        return refreshToken;
    }

    /** How many refresh requests ({@code grant_type=refresh_token}) came, answered or refused. */
    public int refreshCalls() {
        return refreshCalls.get();
    }

    /** Whether {@code accessToken} is one this provider issued (its API would take it). */
    public boolean knows(String accessToken) {
        return tokens.containsKey(accessToken);
    }

    private void user(HttpExchange exchange) throws IOException {
        Optional<User> user = bearer(exchange);
        if (user.isEmpty() || misbehaviour == Misbehaviour.USER_401) {
            send(exchange, 401, "application/json", "{\"message\":\"Requires authentication\"}");
            return;
        }
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.put("login", user.get().login());
        switch (misbehaviour) {
            case USER_WITHOUT_ID -> {
            }
            case USER_ID_OBJECT -> body.putObject("id").put("value", user.get().id());
            case USER_ID_TOO_LONG -> body.put("id", "9".repeat(300));
            default -> body.put("id", user.get().id());
        }
        body.put("node_id", "MDQ6VXNlcj" + user.get().id());
        body.put("avatar_url", "https://avatars.example/u/" + user.get().id());
        body.put("name", user.get().name());
        body.put("email", user.get().email());
        if (misbehaviour == Misbehaviour.USER_SAYS_EMAIL_VERIFIED) {
            body.put("email_verified", true);
        }
        body.put("type", "User");
        body.putObject("plan").put("name", "free");
        send(exchange, 200, "application/json", body.toString());
    }

    private void emails(HttpExchange exchange) throws IOException {
        Optional<User> user = bearer(exchange);
        if (user.isEmpty()) {
            send(exchange, 401, "application/json", "{\"message\":\"Requires authentication\"}");
            return;
        }
        ArrayNode list = TestServer.JSON.createArrayNode();
        for (Email email : user.get().emails()) {
            list.addObject().put("email", email.email()).put("primary", email.primary())
                    .put("verified", email.verified()).putNull("visibility");
        }
        send(exchange, 200, "application/json", list.toString());
    }

    private Optional<User> bearer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return Optional.ofNullable(tokens.get(authorization.substring("Bearer ".length())));
    }

    private static void answer(HttpExchange exchange, boolean json, Map<String, String> fields) throws IOException {
        if (json) {
            ObjectNode body = TestServer.JSON.createObjectNode();
            fields.forEach((name, value) -> {
                if (name.equals("expires_in")) {
                    body.put(name, Long.parseLong(value));
                } else {
                    body.put(name, value);
                }
            });
            send(exchange, 200, "application/json; charset=utf-8", body.toString());
        } else {
            Map<String, List<String>> form = new java.util.LinkedHashMap<>();
            fields.forEach((name, value) -> form.put(name, List.of(value)));
            send(exchange, 200, "application/x-www-form-urlencoded; charset=utf-8",
                    URLUtils.serializeParameters(form));
        }
    }

    private static void huge(HttpExchange exchange) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            int size = 10 * 1024 * 1024;
            exchange.sendResponseHeaders(200, size);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, size - sent));
                }
            }
        } catch (IOException e) {
            // The reader hung up: as it should.
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        URLUtils.parseParameters(raw == null ? "" : raw).forEach((name, values) -> params.put(name, values.get(0)));
        return params;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Follows {@code browser} through redirects (GitHub, /login/callback) until one to {@code appCallback}. */
    public static java.net.http.HttpResponse<String> follow(Browser browser, java.net.http.HttpResponse<String> response,
                                                            String appCallback) {
        for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
            String next = location(response).toString();
            if (next.startsWith(appCallback)) {
                return response;
            }
            response = browser.get(next);
        }
        return response;
    }

    /** Where a redirect sends the browser, resolved. */
    public static URI location(java.net.http.HttpResponse<String> response) {
        return response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
