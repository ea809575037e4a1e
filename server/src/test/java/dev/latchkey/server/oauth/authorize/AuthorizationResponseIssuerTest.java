package dev.latchkey.server.oauth.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9207 §2: every authorization response, success or error, carries {@code iss}, whatever the
 * response mode; discovery says so (§3).
 */
class AuthorizationResponseIssuerTest {

    static final String CALLBACK = "https://iss.example.com/callback";
    static final Pattern WEB_MESSAGE = Pattern.compile("data-response=\"([^\"]*)\"");
    static final Pattern HTML_NUMERIC = Pattern.compile("&#(\\d+);");
    static TestServer server;
    static String clientId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        clientId = server.createClient("""
                {"name":"Iss","app_type":"regular_web","callbacks":["%s"],"web_origins":["https://iss.example.com"],
                 "grant_types":["authorization_code","implicit"]}""".formatted(CALLBACK)).path("client_id").asText();
        TestUsers.create(server, "iris@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> request(String responseType, String responseMode) {
        Map<String, String> params = Browser.authorizeParams(responseType, clientId, CALLBACK, "openid", "s-iss");
        params.put("nonce", "n-iss");
        params.put("response_mode", responseMode);
        return params;
    }

    @ParameterizedTest
    @CsvSource({"code, query", "id_token token, fragment", "code, form_post", "code id_token, web_message"})
    void successResponsesCarryTheIssuer(String responseType, String responseMode) {
        Browser browser = new Browser(server);
        browser.authorize(request(responseType, responseMode));
        Map<String, String> response = responseParams(browser.logIn("iris@example.com", TestUsers.PASSWORD),
                responseMode);
        assertThat(response).containsKey(responseType.startsWith("code") ? "code" : "id_token")
                .containsEntry("state", "s-iss")
                .containsEntry("iss", server.issuer());
    }

    @ParameterizedTest
    @CsvSource({"code, query", "id_token, fragment", "code, form_post", "code, web_message"})
    void errorResponsesCarryTheIssuer(String responseType, String responseMode) {
        // OIDC Core §3.1.2.6: prompt=none without a session answers login_required to the client.
        Map<String, String> params = request(responseType, responseMode);
        params.put("prompt", "none");
        Map<String, String> response = responseParams(new Browser(server).authorize(params), responseMode);
        assertThat(response).containsEntry("error", "login_required")
                .containsEntry("state", "s-iss")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void checkFailuresSentToTheClientCarryTheIssuer() {
        Map<String, String> params = request("code", "query");
        params.put("audience", "https://unknown.example.com");
        Map<String, String> response = Browser.redirectParams(new Browser(server).authorize(params));
        assertThat(response).containsEntry("error", "access_denied").containsEntry("iss", server.issuer());
    }

    @Test
    void discoveryAdvertisesTheIssParameter() {
        // RFC 9207 §3: clients rely on this to require iss.
        JsonNode doc = json(server.get(".well-known/openid-configuration"));
        assertThat(doc.path("authorization_response_iss_parameter_supported").isBoolean()).isTrue();
        assertThat(doc.path("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
    }

    static Map<String, String> responseParams(HttpResponse<String> response, String responseMode) {
        return switch (responseMode) {
            case "query", "fragment" -> Browser.redirectParams(response);
            case "form_post" -> Browser.formPostFields(response);
            case "web_message" -> webMessage(response);
            default -> throw new IllegalArgumentException(responseMode);
        };
    }

    /** The response object the web_message page posts to its parent window. */
    static Map<String, String> webMessage(HttpResponse<String> response) {
        Matcher matcher = WEB_MESSAGE.matcher(response.body());
        assertThat(matcher.find()).as(response.body()).isTrue();
        String attribute = HTML_NUMERIC.matcher(matcher.group(1).replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">")).replaceAll(m -> Matcher.quoteReplacement(
                        Character.toString(Integer.parseInt(m.group(1)))))
                .replace("&amp;", "&");
        Map<String, String> params = new LinkedHashMap<>();
        try {
            TestServer.JSON.readTree(attribute).fields().forEachRemaining(e -> params.put(e.getKey(),
                    e.getValue().asText()));
        } catch (java.io.IOException e) {
            throw new AssertionError(attribute, e);
        }
        return params;
    }
}
