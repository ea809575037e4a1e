package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.Version;
import dev.latchkey.server.http.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the Management API, made from the route table ({@link Operation}s) and the
 * body schemas ({@link ManagementSchemas}): a path per route, its scopes as the OAuth 2.0 client-credentials
 * security requirement, its body, and its answer. Component schemas describe the main objects: what a
 * client, API, client grant, role or the tenant settings answer is (every property the bodies take, and
 * the read-only ones Auth0 adds), and Auth0's error body.
 */
final class OpenApiDocument {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([a-z_]+)}");
    private static final String SECURITY = "management";

    private final String issuer;
    private volatile ObjectNode cached;
    private volatile int cachedFor = -1;

    OpenApiDocument(String issuer) {
        this.issuer = issuer;
    }

    /** The document for {@code operations}; made once, again only when the table has grown. */
    ObjectNode document(List<Operation> operations) {
        ObjectNode document = cached;
        if (document == null || cachedFor != operations.size()) {
            document = build(operations);
            cached = document;
            cachedFor = operations.size();
        }
        return document;
    }

    private ObjectNode build(List<Operation> operations) {
        ObjectNode document = Json.object().put("openapi", "3.1.0");
        document.putObject("info").put("title", "Latchkey Management API")
                .put("version", Version.current())
                .put("description", "Auth0's Management API v2 as Latchkey serves it. Every operation takes a "
                        + "Management API access token (client credentials, audience " + issuer + "api/v2/) "
                        + "holding any one of the scopes it lists.");
        document.putArray("servers").addObject().put("url", issuer + "api/v2");
        ObjectNode paths = document.putObject("paths");
        paths.putObject(ManagementApi.OPENAPI_PATH).set("get", Json.object()
                .put("operationId", "get_openapi")
                .put("summary", "This document")
                .<ObjectNode>set("security", Json.MAPPER.createArrayNode())
                .set("responses", Json.object().set("200", Json.object().put("description", "OpenAPI 3.1 document")
                        .set("content", jsonContent(Json.object().put("type", "object"))))));
        TreeSet<String> scopes = new TreeSet<>();
        for (Operation operation : operations) {
            ObjectNode path = paths.has(operation.path()) ? (ObjectNode) paths.get(operation.path())
                    : paths.putObject(operation.path());
            path.set(operation.method().name().toLowerCase(), operation(operation));
            scopes.addAll(operation.scopes());
        }
        ObjectNode components = document.putObject("components");
        ObjectNode flow = components.putObject("securitySchemes").putObject(SECURITY)
                .put("type", "oauth2")
                .put("description", "A Management API access token from the client credentials grant")
                .putObject("flows").putObject("clientCredentials").put("tokenUrl", issuer + "oauth/token");
        ObjectNode scopeWords = flow.putObject("scopes");
        scopes.forEach(scope -> scopeWords.put(scope, scope));
        ObjectNode schemas = components.putObject("schemas");
        ManagementSchemas.ALL.forEach(schema -> schemas.set(schema.name(), schema.jsonSchema()));
        answers().forEach(schemas::set);
        schemas.set("Error", error());
        return document;
    }

    private static ObjectNode operation(Operation operation) {
        ObjectNode node = Json.object().put("operationId", operation.operationId());
        node.putArray("tags").add(operation.path().split("/")[1]);
        ArrayNode parameters = Json.MAPPER.createArrayNode();
        Matcher matcher = PATH_PARAMETER.matcher(operation.path());
        while (matcher.find()) {
            parameters.addObject().put("name", matcher.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        if (!parameters.isEmpty()) {
            node.set("parameters", parameters);
        }
        ArrayNode anyOf = Json.MAPPER.createArrayNode();
        operation.scopes().forEach(anyOf::add);
        node.putArray("security").addObject().set(SECURITY, anyOf);
        if (operation.body() != null) {
            node.putObject("requestBody").put("required", true)
                    .set("content", jsonContent(ref(operation.body().name())));
        }
        ObjectNode responses = node.putObject("responses");
        Operation.Answer answer = operation.answer();
        ObjectNode success = responses.putObject(Integer.toString(answer.status())).put("description", "Success");
        if (answer.hasBody()) {
            success.set("content", jsonContent(answerSchema(answer)));
        }
        responses.putObject("default").put("description", "Auth0's error body")
                .set("content", jsonContent(ref("Error")));
        return node;
    }

    private static ObjectNode answerSchema(Operation.Answer answer) {
        if (answer.schema() == null) {
            return Json.object();
        }
        if (!answer.page()) {
            return ref(answer.schema());
        }
        ObjectNode schema = Json.object();
        ArrayNode anyOf = schema.putArray("anyOf");
        anyOf.addObject().put("type", "array").set("items", ref(answer.schema()));
        ObjectNode totals = anyOf.addObject().put("type", "object");
        ObjectNode properties = totals.putObject("properties");
        for (String field : List.of("start", "limit", "length", "total")) {
            properties.putObject(field).put("type", "integer");
        }
        return schema;
    }

    /** What the main objects answer: the properties their bodies take, and the read-only ones. */
    private static Map<String, ObjectNode> answers() {
        Map<String, ObjectNode> answers = new LinkedHashMap<>();
        answers.put("Client", answer(List.of(ManagementSchemas.CLIENT_CREATE, ManagementSchemas.CLIENT_UPDATE),
                Map.of("client_id", "string", "tenant", "string", "global", "boolean", "client_secret", "string",
                        "signing_keys", "array"), "client_id", "name"));
        answers.put("ResourceServer", answer(List.of(ManagementSchemas.RESOURCE_SERVER_CREATE,
                ManagementSchemas.RESOURCE_SERVER_UPDATE), Map.of("id", "string", "is_system", "boolean",
                "client_id", "string"), "id", "identifier"));
        answers.put("ClientGrant", answer(List.of(ManagementSchemas.CLIENT_GRANT_CREATE,
                ManagementSchemas.CLIENT_GRANT_UPDATE), Map.of("id", "string", "is_system", "boolean"),
                "id", "client_id", "audience", "scope"));
        answers.put("Role", answer(List.of(ManagementSchemas.ROLE_CREATE, ManagementSchemas.ROLE_UPDATE),
                Map.of("id", "string"), "id", "name"));
        answers.put("TenantSettings", answer(List.of(ManagementSchemas.TENANT_SETTINGS_UPDATE),
                Map.of("sandbox_versions_available", "array")));
        return answers;
    }

    private static ObjectNode answer(List<PayloadSchema> bodies, Map<String, String> readOnly, String... required) {
        Map<String, PayloadSchema.Property> properties = new LinkedHashMap<>();
        for (PayloadSchema body : bodies) {
            body.properties().forEach((name, property) -> properties.merge(name, property, (a, b) ->
                    new PayloadSchema.Property(name, a.type(), a.nullable() || b.nullable(), a.oneOf())));
        }
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        properties.values().forEach(property -> props.set(property.name(), PayloadSchema.propertySchema(property)));
        readOnly.forEach((name, type) -> props.putObject(name).put("type", type).put("readOnly", true));
        if (required.length > 0) {
            ArrayNode names = schema.putArray("required");
            for (String name : required) {
                names.add(name);
            }
        }
        return schema;
    }

    private static ObjectNode error() {
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("statusCode").put("type", "integer");
        props.putObject("error").put("type", "string");
        props.putObject("message").put("type", "string");
        props.putObject("errorCode").put("type", "string");
        schema.putArray("required").add("statusCode").add("error").add("message");
        return schema;
    }

    private static ObjectNode ref(String component) {
        return Json.object().put("$ref", "#/components/schemas/" + component);
    }

    private static ObjectNode jsonContent(ObjectNode schema) {
        ObjectNode content = Json.object();
        content.putObject("application/json").set("schema", schema);
        return content;
    }
}
