package dev.latchkey.verifier.javalin;

import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.AdapterClient;
import dev.latchkey.verifier.TestIssuer;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.latchkey.verifier.AdapterClient.challenge;
import static org.assertj.core.api.Assertions.assertThat;

/** The handler in a real Javalin 7 app. */
class BearerTokenHandlerTest {

    private static final String REALM = "https://example.com/health-api";
    private static final AtomicInteger ENDPOINT_CALLS = new AtomicInteger();

    private static TestIssuer issuer;
    private static AccessTokenVerifier verifier;
    private static Javalin app;
    private static AdapterClient client;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        verifier = issuer.verifier().build();
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.beforeMatched("/patients", new BearerTokenHandler(verifier, "read:patients"));
            config.routes.beforeMatched("/admin", new BearerTokenHandler(verifier, "read:admin"));
            config.routes.get("/patients", ctx -> {
                ENDPOINT_CALLS.incrementAndGet();
                ctx.result(BearerTokenHandler.token(ctx).subject());
            });
            config.routes.get("/admin", ctx -> {
                ENDPOINT_CALLS.incrementAndGet();
                ctx.result("admin");
            });
            config.routes.get("/health", ctx -> ctx.result("ok"));
        }).start("127.0.0.1", 0);
        client = new AdapterClient("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        app.stop();
        verifier.close();
        issuer.close();
    }

    @Test
    void passesAValidTokenToTheEndpoint() throws Exception {
        HttpResponse<String> response = client.get("/patients", "Bearer " + issuer.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("auth0|123456");
    }

    @Test
    void leavesUnprotectedRoutesAlone() throws Exception {
        assertThat(client.get("/health").statusCode()).isEqualTo(200);
    }

    /** RFC 6750 §3.1: no credentials, so a bare challenge without an error code; the endpoint never runs. */
    @Test
    void challengesARequestWithoutToken() throws Exception {
        int before = ENDPOINT_CALLS.get();
        HttpResponse<String> response = client.get("/patients");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM + "\"");
        assertThat(ENDPOINT_CALLS.get()).isEqualTo(before);
    }

    @Test
    void refusesAnInvalidTokenWithInvalidToken() throws Exception {
        HttpResponse<String> response = client.get("/patients",
                "Bearer " + issuer.token(c -> c.expirationTime(new Date(0))));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM
                + "\", error=\"invalid_token\", error_description=\"The access token expired\"");
        assertThat(response.body()).isEqualTo(
                "{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void refusesAMissingScopeWithForbidden() throws Exception {
        int before = ENDPOINT_CALLS.get();
        HttpResponse<String> response = client.get("/admin", "Bearer " + issuer.token());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\","
                + " error_description=\"The access token lacks a required scope\", scope=\"read:admin\"");
        assertThat(ENDPOINT_CALLS.get()).isEqualTo(before);
    }

    @Test
    void acceptsTheRequiredScope() throws Exception {
        String admin = issuer.token(c -> c.claim("scope", "read:admin"));

        assertThat(client.get("/admin", "Bearer " + admin).statusCode()).isEqualTo(200);
    }
}
