package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One virtual user: a browser with its own cookie jar and connections, driving the authorization-code flow
 * with PKCE S256 the way a person and a web application do together:
 * {@code GET /authorize} → {@code GET /u/login} (CSRF token from the page) → {@code POST /u/login} →
 * [{@code GET /u/consent} → {@code POST /u/consent} accept] → the code from the redirect →
 * {@code POST /oauth/token}. Each round trip starts with an empty cookie jar, a new browser session, so the
 * password is checked every time (no SSO shortcut).
 *
 * <p>The transport is the JDK's blocking {@link HttpURLConnection} with keep-alive, and the cookie jar is a
 * map of name to value: the driver shares the server's two cores, and {@code java.net.http} spent about a
 * millisecond of CPU per request here (a selector thread and hand-offs per exchange), an eighth of the
 * machine at the login rate, which the server then did not have.
 */
final class AuthorizationCodeBrowser {

    /** The steps of a round trip, in order; timed one by one. */
    enum Step { AUTHORIZE, LOGIN_PAGE, LOGIN_POST, CONSENT_PAGE, CONSENT_POST, TOKEN }

    /** What the flow asks for; {@code audience} may be null (an opaque access token). */
    record Target(URI base, String clientId, String clientSecret, String redirectUri, String scope,
                  String audience, boolean promptConsent) {

        /** The same flow, with or without {@code prompt=consent}. */
        Target withPromptConsent(boolean prompt) {
            return new Target(base, clientId, clientSecret, redirectUri, scope, audience, prompt);
        }
    }

    /** A step did not answer as a browser expects. */
    static final class FlowFailure extends Exception {
        final Step step;
        final int status;

        FlowFailure(Step step, int status, String message) {
            super(step + " answered " + status + ": " + message, null, false, false);
            this.step = step;
            this.status = status;
        }
    }

    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"(state|csrf)\" value=\"([^\"]*)\">");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int TIMEOUT_MS = 30_000;

    /** A response as far as the flow needs it. */
    private record Response(URI uri, int status, String location, String body) {
    }

    private final Target target;
    /** This browser's cookies for the one server it talks to: name to value. */
    private final Map<String, String> cookies = new LinkedHashMap<>();
    /** Nanoseconds spent in each step, and how often, since the last {@link #takeStepTimes}. */
    private final long[] stepNanos = new long[Step.values().length];
    private final long[] stepCounts = new long[Step.values().length];
    /** The form of the last code exchange sent, so that a caller can send it again (a replay). */
    private Map<String, String> lastExchange;

    AuthorizationCodeBrowser(Target target) {
        this.target = target;
    }

    /** One full round trip as {@code email}; returns the token response. */
    JsonNode roundTrip(String email, String password) throws FlowFailure, IOException, InterruptedException {
        cookies.clear();
        String verifier = random(32);
        String state = random(16);

        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", target.clientId());
        query.put("redirect_uri", target.redirectUri());
        query.put("scope", target.scope());
        if (target.audience() != null) {
            query.put("audience", target.audience());
        }
        query.put("state", state);
        query.put("nonce", random(16));
        query.put("code_challenge", B64URL.encodeToString(sha256(verifier)));
        query.put("code_challenge_method", "S256");
        if (target.promptConsent()) {
            query.put("prompt", "consent");
        }
        Response authorize = send(Step.AUTHORIZE, target.base().resolve("authorize?" + form(query)), null, 302);
        URI loginPage = location(Step.AUTHORIZE, authorize);

        Response page = send(Step.LOGIN_PAGE, loginPage, null, 200);
        Map<String, String> hidden = hiddenFields(Step.LOGIN_PAGE, page);
        Map<String, String> login = new LinkedHashMap<>(hidden);
        login.put("email", email);
        login.put("password", password);
        Response loggedIn = send(Step.LOGIN_POST, loginPage.resolve("login"), login, 302);
        URI next = location(Step.LOGIN_POST, loggedIn);

        if (next.getPath() != null && next.getPath().endsWith("/u/consent")) {
            Response consentPage = send(Step.CONSENT_PAGE, next, null, 200);
            Map<String, String> consent = new LinkedHashMap<>(hiddenFields(Step.CONSENT_PAGE, consentPage));
            consent.put("action", "accept");
            Response accepted = send(Step.CONSENT_POST, next.resolve("consent"), consent, 302);
            next = location(Step.CONSENT_POST, accepted);
        }

        Map<String, String> callback = queryOf(next);
        if (!next.toString().startsWith(target.redirectUri()) || !state.equals(callback.get("state"))
                || callback.get("code") == null) {
            throw new FlowFailure(Step.CONSENT_POST, 302, "no code for this state in the redirect: "
                    + (callback.containsKey("error") ? callback.get("error") : "?"));
        }

        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("client_id", target.clientId());
        exchange.put("client_secret", target.clientSecret());
        exchange.put("code", callback.get("code"));
        exchange.put("redirect_uri", target.redirectUri());
        exchange.put("code_verifier", verifier);
        lastExchange = exchange;
        Response token = send(Step.TOKEN, target.base().resolve("oauth/token"), exchange, 200);
        JsonNode body = JSON.readTree(token.body());
        if (!body.hasNonNull("access_token")) {
            throw new FlowFailure(Step.TOKEN, 200, "no access_token in the response");
        }
        return body;
    }

    /**
     * Sends the last code exchange again, as a client does that retries after a lost answer; returns the
     * status and the body.
     */
    Map.Entry<Integer, String> replayExchange() throws IOException {
        if (lastExchange == null) {
            throw new IllegalStateException("No code exchange yet");
        }
        try {
            Response token = send(Step.TOKEN, target.base().resolve("oauth/token"), lastExchange, 200);
            return Map.entry(token.status(), token.body());
        } catch (FlowFailure failure) {
            return Map.entry(failure.status, failure.getMessage());
        }
    }

    /** Adds this browser's step times to {@code nanos} and {@code counts} and starts counting afresh. */
    synchronized void takeStepTimes(long[] nanos, long[] counts) {
        for (int i = 0; i < stepNanos.length; i++) {
            nanos[i] += stepNanos[i];
            counts[i] += stepCounts[i];
            stepNanos[i] = 0;
            stepCounts[i] = 0;
        }
    }

    /** GET {@code uri}, or POST {@code form} to it when that is not null, with this browser's cookies. */
    private Response send(Step step, URI uri, Map<String, String> form, int expected)
            throws FlowFailure, IOException {
        long started = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(TIMEOUT_MS);
        connection.setReadTimeout(TIMEOUT_MS);
        if (!cookies.isEmpty()) {
            StringJoiner header = new StringJoiner("; ");
            cookies.forEach((name, value) -> header.add(name + "=" + value));
            connection.setRequestProperty("Cookie", header.toString());
        }
        if (form != null) {
            byte[] body = form(form).getBytes(StandardCharsets.UTF_8);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        // Header names are case-insensitive (RFC 9110 §5.1); a proxy may have changed their case.
        connection.getHeaderFields().forEach((name, values) -> {
            if ("Set-Cookie".equalsIgnoreCase(name)) {
                keepCookies(values);
            }
        });
        String body;
        // Read to the end and close, so that the connection goes back to the keep-alive cache.
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Response response = new Response(uri, status, connection.getHeaderField("Location"), body);
        synchronized (this) {
            stepNanos[step.ordinal()] += System.nanoTime() - started;
            stepCounts[step.ordinal()]++;
        }
        if (status != expected) {
            throw new FlowFailure(step, status, body.substring(0, Math.min(200, body.length())).replaceAll("\\s+", " "));
        }
        return response;
    }

    /** Keeps the cookies a response sets; {@code Max-Age=0} or an empty value deletes one. */
    private void keepCookies(List<String> setCookies) {
        if (setCookies == null) {
            return;
        }
        for (String setCookie : setCookies) {
            int eq = setCookie.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            int end = setCookie.indexOf(';');
            String name = setCookie.substring(0, eq).trim();
            String value = setCookie.substring(eq + 1, end < 0 ? setCookie.length() : end).trim();
            String attributes = end < 0 ? "" : setCookie.substring(end).toLowerCase(java.util.Locale.ROOT);
            if (attributes.matches(".*max-age=0(;.*)?") || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    private static URI location(Step step, Response response) throws FlowFailure {
        if (response.location() == null) {
            throw new FlowFailure(step, response.status(), "redirect without Location");
        }
        return response.uri().resolve(response.location());
    }

    private static Map<String, String> hiddenFields(Step step, Response page) throws FlowFailure {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(page.body());
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        if (!fields.containsKey("state") || !fields.containsKey("csrf")) {
            throw new FlowFailure(step, page.status(), "the page has no state and csrf fields");
        }
        return fields;
    }

    private static Map<String, String> queryOf(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String form(Map<String, String> fields) {
        StringJoiner joined = new StringJoiner("&");
        fields.forEach((name, value) -> joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return B64URL.encodeToString(value);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
