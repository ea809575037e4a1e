package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
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
 */
final class AuthorizationCodeBrowser {

    /** The steps of a round trip, in order; timed one by one. */
    enum Step { AUTHORIZE, LOGIN_PAGE, LOGIN_POST, CONSENT_PAGE, CONSENT_POST, TOKEN }

    /** What the flow asks for; {@code audience} may be null (an opaque access token). */
    record Target(URI base, String clientId, String clientSecret, String redirectUri, String scope,
                  String audience, boolean promptConsent) {
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
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Target target;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    /** Nanoseconds spent in each step, and how often, since the last {@link #takeStepTimes}. */
    private final long[] stepNanos = new long[Step.values().length];
    private final long[] stepCounts = new long[Step.values().length];

    AuthorizationCodeBrowser(Target target) {
        this.target = target;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** One full round trip as {@code email}; returns the token response. */
    JsonNode roundTrip(String email, String password) throws FlowFailure, IOException, InterruptedException {
        cookies.getCookieStore().removeAll();
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
        HttpResponse<String> authorize = send(Step.AUTHORIZE,
                HttpRequest.newBuilder(target.base().resolve("authorize?" + form(query))).GET(), 302);
        URI loginPage = location(Step.AUTHORIZE, authorize);

        HttpResponse<String> page = send(Step.LOGIN_PAGE, HttpRequest.newBuilder(loginPage).GET(), 200);
        Map<String, String> hidden = hiddenFields(Step.LOGIN_PAGE, page);
        Map<String, String> login = new LinkedHashMap<>(hidden);
        login.put("email", email);
        login.put("password", password);
        HttpResponse<String> loggedIn = send(Step.LOGIN_POST, post(loginPage.resolve("login"), login), 302);
        URI next = location(Step.LOGIN_POST, loggedIn);

        if (next.getPath() != null && next.getPath().endsWith("/u/consent")) {
            HttpResponse<String> consentPage = send(Step.CONSENT_PAGE, HttpRequest.newBuilder(next).GET(), 200);
            Map<String, String> consent = new LinkedHashMap<>(hiddenFields(Step.CONSENT_PAGE, consentPage));
            consent.put("action", "accept");
            HttpResponse<String> accepted = send(Step.CONSENT_POST, post(next.resolve("consent"), consent), 302);
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
        HttpResponse<String> token = send(Step.TOKEN, post(target.base().resolve("oauth/token"), exchange), 200);
        JsonNode body = JSON.readTree(token.body());
        if (!body.hasNonNull("access_token")) {
            throw new FlowFailure(Step.TOKEN, 200, "no access_token in the response");
        }
        return body;
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

    private HttpResponse<String> send(Step step, HttpRequest.Builder request, int expected)
            throws FlowFailure, IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        synchronized (this) {
            stepNanos[step.ordinal()] += System.nanoTime() - started;
            stepCounts[step.ordinal()]++;
        }
        if (response.statusCode() != expected) {
            String body = response.body();
            throw new FlowFailure(step, response.statusCode(),
                    body.substring(0, Math.min(200, body.length())).replaceAll("\\s+", " "));
        }
        return response;
    }

    private static HttpRequest.Builder post(URI uri, Map<String, String> fields) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
    }

    private static URI location(Step step, HttpResponse<String> response) throws FlowFailure {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new FlowFailure(step, response.statusCode(), "redirect without Location"));
        return response.uri().resolve(location);
    }

    private static Map<String, String> hiddenFields(Step step, HttpResponse<String> page) throws FlowFailure {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(page.body());
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        if (!fields.containsKey("state") || !fields.containsKey("csrf")) {
            throw new FlowFailure(step, page.statusCode(), "the page has no state and csrf fields");
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
