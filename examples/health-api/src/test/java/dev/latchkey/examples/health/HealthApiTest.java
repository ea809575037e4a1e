package dev.latchkey.examples.health;

import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.TestIssuer;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The health API against a test issuer, as a client with Latchkey tokens would call it. */
class HealthApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestIssuer issuer;
    private static AccessTokenVerifier verifier;
    private static Javalin app;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        verifier = AccessTokenVerifier.builder().issuer(issuer.issuer()).audience(HealthApi.AUDIENCE).build();
        app = HealthApi.create(verifier).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
        verifier.close();
        issuer.close();
    }

    @Test
    void healthIsPublic() throws Exception {
        HttpResponse<String> response = get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void patientsNeedReadPatients() throws Exception {
        HttpResponse<String> response = get("/patients", issuer.token(c -> c.claim("scope", "read:patients")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"Ada Lovelace\"");
    }

    @Test
    void patientsWithoutTokenAreUnauthorized() throws Exception {
        HttpResponse<String> response = get("/patients", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .contains("Bearer realm=\"" + HealthApi.AUDIENCE + "\"");
    }

    @Test
    void adminNeedsReadAdmin() throws Exception {
        HttpResponse<String> forbidden = get("/admin", issuer.token(c -> c.claim("scope", "read:patients")));
        HttpResponse<String> allowed = get("/admin", issuer.token(c -> c
                .subject("CS2MNgcX1VZF@clients").audience(HealthApi.AUDIENCE).claim("scope", "read:admin")));

        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(
                challenge).contains("error=\"insufficient_scope\"", "scope=\"read:admin\""));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"subject\":\"CS2MNgcX1VZF@clients\"");
    }

    @Test
    void tokensForAnotherApiAreRefused() throws Exception {
        HttpResponse<String> response = get("/patients", issuer.token(c -> c.audience("https://example.com/other")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"invalid_token\"");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
