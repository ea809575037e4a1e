package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.latchkey.server.http.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * Calls the Management API ({@code <issuer>api/v2/}) as the bootstrap client: gets a
 * client-credentials token for that audience on first use, keeps it until shortly before it
 * expires, and turns error answers into {@link CliException}s carrying the server's message.
 */
final class ManagementClient {

    /** Auth0's largest page; lists are read page by page until a short one. */
    private static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 10_000;
    private static final long EXPIRY_MARGIN_SECONDS = 30;

    private final IssuerConnection connection;
    private final BootstrapCredentials credentials;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    ManagementClient(IssuerConnection connection, BootstrapCredentials credentials, Clock clock) {
        this.connection = connection;
        this.credentials = credentials;
        this.clock = clock;
    }

    static ManagementClient connect(IssuerOption issuer, BootstrapOptions bootstrap) {
        return new ManagementClient(new IssuerConnection(issuer.issuer()), bootstrap.credentials(), Clock.systemUTC());
    }

    /** The Management API's audience, {@code <issuer>api/v2/}. */
    String audience() {
        return audience(connection);
    }

    static String audience(IssuerConnection connection) {
        return connection.issuer() + "api/v2/";
    }

    JsonNode get(String path) {
        return checked(connection.get(connection.resolve("api/v2/" + path), token()), "GET", path);
    }

    JsonNode post(String path, JsonNode body) {
        return checked(connection.sendJson("POST", "api/v2/" + path, body, token()), "POST", path);
    }

    /** Deletes; false when there was nothing to delete (404). */
    boolean deleteIfPresent(String path) {
        ServerAnswer answer = connection.sendJson("DELETE", "api/v2/" + path, null, token());
        if (answer.status() == 404) {
            return false;
        }
        checked(answer, "DELETE", path);
        return true;
    }

    /** Every item of a list, e.g. {@code list("clients", null)}; {@code query} adds filters. */
    ArrayNode list(String path, String query) {
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode items = get(path + "?per_page=" + PER_PAGE + "&page=" + page + (query == null ? "" : "&" + query));
            if (!items.isArray()) {
                throw CliException.failed("GET /api/v2/" + path + " did not answer a list. Is --issuer a Latchkey server?");
            }
            items.forEach(all::add);
            if (items.size() < PER_PAGE) {
                break;
            }
        }
        return all;
    }

    static String query(String name, String value) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A path segment, encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String token() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(tokenExpires)) {
            ServerAnswer answer = new ClientCredentials(connection).send(credentials.clientId(),
                    credentials.clientSecret(), audience(), null);
            if (!answer.ok()) {
                throw tokenRefused(answer);
            }
            JsonNode response = answer.body();
            token = response.path("access_token").asText();
            long lifetime = response.path("expires_in").asLong(0);
            tokenExpires = now.plusSeconds(Math.max(0, lifetime - EXPIRY_MARGIN_SECONDS));
        }
        return token;
    }

    private CliException tokenRefused(ServerAnswer answer) {
        String reason = answer.errorMessage();
        if ("invalid_client".equals(answer.errorCode())) {
            return CliException.failed("The server rejected the bootstrap credentials from " + credentials.source()
                    + ": " + reason + ". Use this server's: pass --data-dir (its data directory) or set "
                    + "LATCHKEY_BOOTSTRAP_CLIENT_ID and LATCHKEY_BOOTSTRAP_CLIENT_SECRET.");
        }
        if ("access_denied".equals(answer.errorCode())) {
            return CliException.failed("No Management API token: " + reason + ". Is --issuer ("
                    + connection.issuer() + ") exactly the issuer `./latchkey serve` printed at start?");
        }
        return CliException.failed("No Management API token: " + reason + ".");
    }

    private static JsonNode checked(ServerAnswer answer, String method, String path) {
        if (answer.ok()) {
            return answer.body() == null ? Json.object() : answer.body();
        }
        throw CliException.failed(method + " /api/v2/" + path.replaceAll("\\?.*", "") + " failed: "
                + answer.errorMessage() + (answer.status() == 401
                ? ". The server refused the bootstrap client's token: is --issuer the URL it was started with?" : ""));
    }
}
