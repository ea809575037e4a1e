package dev.latchkey.server.testing;

import com.nimbusds.oauth2.sdk.util.URLUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted browser for the login pages: keeps cookies, does not follow redirects, reads the
 * hidden fields of the last page's form, and posts it.
 */
public final class Browser {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final TestServer server;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private HttpResponse<String> last;

    public Browser(TestServer server) {
        this.server = server;
        this.http = server.clientBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpResponse<String> get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
    }

    public HttpResponse<String> post(String pathOrUrl, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    /** The parameters of an authorization request, in order and mutable: a test adds or changes its own. */
    public static Map<String, String> authorizeParams(String responseType, String clientId, String redirectUri,
                                                      String scope, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", responseType);
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri);
        params.put("scope", scope);
        params.put("state", state);
        return params;
    }

    /** GET /authorize with these parameters. */
    public HttpResponse<String> authorize(Map<String, String> params) {
        return get("authorize?" + form(params));
    }

    /** Follows one redirect from the last response (to a page of this server). */
    public HttpResponse<String> follow() {
        String location = last.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("No redirect: " + last.statusCode() + " " + last.body()));
        return get(location);
    }

    /** The hidden fields of the last page's form. */
    public Map<String, String> hiddenFields() {
        return hiddenFields(last.body());
    }

    /** The hidden fields of a page's form. */
    public static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(page);
        while (matcher.find()) {
            fields.put(matcher.group(1), unescape(matcher.group(2)));
        }
        return fields;
    }

    /** Posts the last page's form with its hidden fields plus {@code extra}. */
    public HttpResponse<String> submit(String action, Map<String, String> extra) {
        Map<String, String> form = hiddenFields();
        form.putAll(extra);
        return post(action, form);
    }

    /** Logs in on the login page the last response redirected to. */
    public HttpResponse<String> logIn(String email, String password) {
        follow();
        return submit("u/login", Map.of("email", email, "password", password));
    }

    public HttpResponse<String> last() {
        return last;
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    public void setCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(server.issuer()), cookie);
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    /** The parameters of a redirect's Location, from its query or fragment. */
    public static Map<String, String> redirectParams(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("No redirect: " + response.statusCode() + " " + response.body()));
        URI uri = URI.create(location);
        String raw = uri.getRawFragment() != null ? uri.getRawFragment() : uri.getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        URLUtils.parseParameters(raw == null ? "" : raw).forEach((k, v) -> params.put(k, v.get(0)));
        return params;
    }

    /** The fields of a form_post response page. */
    public static Map<String, String> formPostFields(HttpResponse<String> response) {
        return hiddenFields(response.body());
    }

    public static String form(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    private URI uri(String pathOrUrl) {
        // The issuer's host (localhost): the cookies the server sets belong to it.
        return pathOrUrl.startsWith("http") ? URI.create(pathOrUrl)
                : URI.create(server.issuer() + (pathOrUrl.startsWith("/") ? pathOrUrl.substring(1) : pathOrUrl));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            last = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    public static List<String> setCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie");
    }
}
