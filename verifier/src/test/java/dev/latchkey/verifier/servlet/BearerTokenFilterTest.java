package dev.latchkey.verifier.servlet;

import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.AdapterClient;
import dev.latchkey.verifier.TestIssuer;
import dev.latchkey.verifier.VerifiedToken;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.EnumSet;

import static dev.latchkey.verifier.AdapterClient.challenge;
import static org.assertj.core.api.Assertions.assertThat;

/** The filter in a real servlet container (Jetty 12, Jakarta Servlet 6). */
class BearerTokenFilterTest {

    private static final String REALM = "https://example.com/health-api";

    private static TestIssuer issuer;
    private static AccessTokenVerifier verifier;
    private static Server server;
    private static AdapterClient client;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        verifier = issuer.verifier().build();

        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(new BearerTokenFilter(verifier, "read:patients")), "/patients/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new BearerTokenFilter(verifier, "read:admin")), "/admin/*",
                EnumSet.of(DispatcherType.REQUEST));
        HttpServlet whoAmI = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                VerifiedToken token = BearerTokenFilter.token(request);
                response.getWriter().write(token.subject());
            }
        };
        context.addServlet(new ServletHolder(whoAmI), "/*");
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        client = new AdapterClient("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        verifier.close();
        issuer.close();
    }

    @Test
    void passesAValidTokenToTheServlet() throws Exception {
        HttpResponse<String> response = client.get("/patients/1", "Bearer " + issuer.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("auth0|123456");
    }

    /** RFC 6750 §3.1: no credentials, so a bare challenge without an error code. */
    @Test
    void challengesARequestWithoutToken() throws Exception {
        HttpResponse<String> response = client.get("/patients/1");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM + "\"");
    }

    @Test
    void refusesAnInvalidTokenWithInvalidToken() throws Exception {
        String expired = issuer.token(c -> c.expirationTime(new Date(0)));
        HttpResponse<String> response = client.get("/patients/1", "Bearer " + expired);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM
                + "\", error=\"invalid_token\", error_description=\"The access token expired\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo(
                "{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}");
    }

    /** RFC 6750 §3.1: a valid token without the scope gets 403 insufficient_scope naming the scope. */
    @Test
    void refusesAMissingScopeWithForbidden() throws Exception {
        HttpResponse<String> response = client.get("/admin/stats", "Bearer " + issuer.token());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\","
                + " error_description=\"The access token lacks a required scope\", scope=\"read:admin\"");
    }

    @Test
    void refusesTwoAuthorizationHeadersAsInvalidRequest() throws Exception {
        HttpResponse<String> response = client.get("/patients/1", "Bearer " + issuer.token(), "Bearer x.y.z");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(challenge(response)).contains("error=\"invalid_request\"");
    }

    @Test
    void treatsOtherSchemesAsNoToken() throws Exception {
        HttpResponse<String> response = client.get("/patients/1", "Basic dXNlcjpwYXNz");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer realm=\"" + REALM + "\"");
    }

    @Test
    void acceptsTheSchemeInAnyCase() throws Exception {
        assertThat(client.get("/patients/1", "bearer " + issuer.token()).statusCode()).isEqualTo(200);
    }
}
