package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v2/openapi.json}: an OpenAPI 3.1 document made from the route table, valid by an OpenAPI
 * validator, whose response schemas fit what the server really answers.
 */
class OpenApiDocumentTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void documentNeedsNoTokenAndListsEveryRouteWithItsScopes() throws Exception {
        HttpResponse<String> response = server.get("api/v2/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = TestServer.JSON.readTree(response.body());
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        JsonNode getClient = document.path("paths").path("/clients/{id}").path("get");
        assertThat(getClient.path("operationId").asText()).isEqualTo("get_clients_by_id");
        assertThat(getClient.path("security").get(0).path("management").toString())
                .isEqualTo("[\"read:clients\",\"read:client_keys\"]");
        assertThat(document.path("paths").path("/tenants/settings").path("patch").path("requestBody").toString())
                .contains("#/components/schemas/TenantSettingsUpdate");
        assertThat(document.path("components").path("schemas").path("ClientCreate").path("properties").has("addons"))
                .isTrue();
        // Every route the server has is in the document: a route is declared only through the table.
        assertThat(document.path("paths").size()).isGreaterThanOrEqualTo(40);
        java.util.List<String> ids = new java.util.ArrayList<>();
        document.path("paths").forEach(path -> path.forEach(operation -> ids.add(operation.path("operationId").asText())));
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
    }

    @Test
    void documentIsValidOpenApiAndRealAnswersFitTheirSchemas() throws Exception {
        NodePeers.require("@seriousme/openapi-schema-validator", "ajv");
        JsonNode client = server.createClient("{\"name\":\"openapi\",\"app_type\":\"regular_web\","
                + "\"logo_uri\":\"https://logo.example/l.png\",\"organization_usage\":\"allow\"}");
        JsonNode api = server.createApi("{\"identifier\":\"https://openapi.example.com\",\"scopes\":"
                + "[{\"value\":\"read:x\",\"description\":\"x\"}]}");
        String clientId = client.path("client_id").asText();
        ArrayNode samples = TestServer.JSON.createArrayNode();
        sample(samples, "POST", "/clients", 201, client);
        record(samples, "GET", "/clients/" + clientId, null);
        record(samples, "GET", "/clients", null);
        record(samples, "GET", "/clients?include_totals=true", null);
        record(samples, "GET", "/resource-servers/" + api.path("id").asText(), null);
        record(samples, "POST", "/client-grants", "{\"client_id\":\"" + clientId
                + "\",\"audience\":\"https://openapi.example.com\",\"scope\":[\"read:x\"]}");
        record(samples, "GET", "/client-grants", null);
        record(samples, "POST", "/roles", "{\"name\":\"openapi\",\"description\":\"d\"}");
        record(samples, "GET", "/roles", null);
        record(samples, "PATCH", "/tenants/settings", "{\"friendly_name\":\"OpenAPI\",\"session_lifetime\":24}");
        record(samples, "GET", "/tenants/settings", null);
        record(samples, "GET", "/clients/nope", null);
        record(samples, "POST", "/clients", "{\"name\":\"x\",\"no_such_field\":1}");

        Path documentFile = Files.createTempFile("openapi", ".json");
        Path samplesFile = Files.createTempFile("openapi-samples", ".json");
        try {
            Files.writeString(documentFile, server.get("api/v2/openapi.json").body());
            Files.writeString(samplesFile, samples.toString());
            NodePeers.Result result = NodePeers.run("openapi-check.mjs", Map.of("OPENAPI_FILE", documentFile.toString(),
                    "SAMPLES_FILE", samplesFile.toString()), 60);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("ok GET /clients/" + clientId + " 200", "ok GET /clients/nope 404",
                    "ok GET /tenants/settings 200");
        } finally {
            Files.deleteIfExists(documentFile);
            Files.deleteIfExists(samplesFile);
        }
    }

    private static void record(ArrayNode samples, String method, String path, String body) throws Exception {
        HttpResponse<String> response = server.management(method, "api/v2" + path, body);
        String plainPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        sample(samples, method, plainPath, response.statusCode(), TestServer.JSON.readTree(response.body()));
    }

    private static void sample(ArrayNode samples, String method, String path, int status, JsonNode body) {
        ObjectNode sample = samples.addObject().put("method", method).put("path", path).put("status", status);
        sample.set("body", body);
    }
}
