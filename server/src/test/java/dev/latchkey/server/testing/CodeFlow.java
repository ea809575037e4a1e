package dev.latchkey.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A user logging in through the authorization-code flow with PKCE, as a browser and a web app would. */
public final class CodeFlow {

    private CodeFlow() {
    }

    /** Creates the user, logs them in at {@code server} and answers the token response. */
    public static JsonNode logInNewUser(TestServer server, String email, String clientId, String secret,
                                        String callback, String scope, String audience) {
        TestUsers.create(server, email);
        return logIn(server, email, clientId, secret, callback, scope, audience);
    }

    /** Logs an existing user (with {@link TestUsers#PASSWORD}) in at {@code server}, in a new browser. */
    public static JsonNode logIn(TestServer server, String email, String clientId, String secret,
                                 String callback, String scope, String audience) {
        Code code = code(server, email, clientId, callback, scope, audience);
        HttpResponse<String> token = code.exchange(server, clientId, secret, callback);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return TestServer.json(token);
    }

    /** A code from /authorize and the login page, with the PKCE verifier it was issued for. */
    public static Code code(TestServer server, String email, String clientId, String callback, String scope,
                            String audience) {
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", callback);
        params.put("scope", scope);
        params.put("state", "s");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        if (audience != null) {
            params.put("audience", audience);
        }
        HttpResponse<String> started = browser.authorize(params);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        HttpResponse<String> afterLogin = browser.logIn(email, TestUsers.PASSWORD);
        Map<String, String> redirect = Browser.redirectParams(afterLogin);
        assertThat(redirect).as(afterLogin.body()).containsKey("code");
        return new Code(redirect.get("code"), pkce.verifier());
    }

    /** A code and its PKCE verifier. */
    public record Code(String value, String verifier) {

        /** Its exchange at /oauth/token, as is. */
        public HttpResponse<String> exchange(TestServer server, String clientId, String secret, String callback) {
            return server.postForm("oauth/token", "grant_type=authorization_code&client_id=" + clientId + "&code="
                    + value + "&redirect_uri=" + callback + "&code_verifier=" + verifier
                    + (secret == null ? "" : "&client_secret=" + secret));
        }
    }
}
