package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A client-credentials token request to {@code <issuer>oauth/token} (RFC 6749 §4.4), with the client
 * authenticated by {@code client_secret_post} (RFC 6749 §2.3.1), as Auth0's default for
 * machine-to-machine applications.
 */
final class ClientCredentials {

    private final IssuerConnection connection;

    ClientCredentials(IssuerConnection connection) {
        this.connection = connection;
    }

    /**
     * The token response; {@code scope} may be null for every granted scope. {@code whose} names the
     * credentials in error messages, e.g. "the bootstrap client (from data/bootstrap.json)".
     */
    JsonNode request(String clientId, String clientSecret, String audience, String scope, String whose) {
        ServerAnswer answer = send(clientId, clientSecret, audience, scope);
        if (!answer.ok()) {
            throw CliException.failed("No token for " + whose + ": " + answer.errorMessage()
                    + hint(answer.errorCode(), clientId, audience));
        }
        return answer.body();
    }

    /** The raw answer; a successful one always carries an access token. */
    ServerAnswer send(String clientId, String clientSecret, String audience, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("audience", audience);
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope.trim());
        }
        ServerAnswer answer = connection.postForm("oauth/token", encode(form));
        if (answer.ok() && (answer.body() == null || !answer.body().path("access_token").isTextual())) {
            throw CliException.failed("The token endpoint of " + connection.issuer()
                    + " answered without an access_token. Is --issuer a Latchkey server?");
        }
        return answer;
    }

    private static String hint(String error, String clientId, String audience) {
        if ("invalid_client".equals(error)) {
            return ". Check the client id and secret, and that they belong to this server.";
        }
        if ("access_denied".equals(error)) {
            return ". An API must exist for the audience (`./latchkey apis list`) and the client needs a grant: "
                    + "`./latchkey grants create --client-id " + clientId + " --audience " + audience + "`.";
        }
        return ".";
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
