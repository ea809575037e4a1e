package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A machine-to-machine client registered on a test server, and the tokens it asks for. */
record MachineClient(TestServer server, String clientId, String clientSecret) {

    /** Registers a {@code non_interactive} client with the client-credentials grant. */
    static MachineClient register(TestServer server, String name) {
        JsonNode client = server.createClient("{\"name\":\"" + name + "\",\"app_type\":\"non_interactive\","
                + "\"grant_types\":[\"client_credentials\"]}");
        return new MachineClient(server, client.path("client_id").asText(), client.path("client_secret").asText());
    }

    MachineClient grant(String audience, String... scopes) {
        server.grant(clientId, audience, scopes);
        return this;
    }

    /** A client-credentials access token for {@code audience} (RFC 6749 §4.4), form-encoded. */
    String token(String audience) {
        HttpResponse<String> response = server.postForm("oauth/token", "grant_type=client_credentials"
                + "&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret)
                + "&audience=" + encode(audience));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Token request failed (" + response.statusCode() + "): " + response.body());
        }
        return TestServer.json(response).path("access_token").asText();
    }

    /** Asks {@code /oauth/introspect} about {@code token} as this client (RFC 7662 §2.1). */
    JsonNode introspect(String token) {
        HttpResponse<String> response = server.postForm("oauth/introspect", "client_id=" + encode(clientId)
                + "&client_secret=" + encode(clientSecret) + "&token=" + encode(token));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Introspection failed (" + response.statusCode() + "): " + response.body());
        }
        return TestServer.json(response);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
