package dev.latchkey.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.User;

import java.net.http.HttpResponse;

/** Creates users of the default connection through the Management API of a test server. */
public final class TestUsers {

    public static final String PASSWORD = "correct horse Battery staple 9";

    private TestUsers() {
    }

    public static User create(TestServer server, String email) {
        return create(server, email, PASSWORD, false);
    }

    public static User create(TestServer server, String email, String password, boolean blocked) {
        String name = email.substring(0, email.indexOf('@'));
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s","email_verified":true,
                 "name":"%s Example","given_name":"%s","family_name":"Example","nickname":"%s",
                 "picture":"https://example.com/%s.png","blocked":%s}"""
                .formatted(email, password, name, name, name, name, blocked));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Creating a user failed: " + response.statusCode() + " " + response.body());
        }
        JsonNode created = TestServer.json(response);
        return server.latchkey().users().findById(created.path("user_id").asText()).orElseThrow();
    }
}
