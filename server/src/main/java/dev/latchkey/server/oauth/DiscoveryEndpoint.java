package dev.latchkey.server.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import io.javalin.http.Context;

import java.util.List;

/**
 * {@code /.well-known/openid-configuration} and its RFC 8414 alias
 * {@code /.well-known/oauth-authorization-server}. Carries the members OpenID Connect Discovery 1.0
 * §3 marks REQUIRED, then only what this server implements. Built once at start.
 */
public final class DiscoveryEndpoint {

    private final byte[] document;

    public DiscoveryEndpoint(String issuer, List<String> grantTypes) {
        ObjectNode doc = Json.object();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "authorize");
        doc.put("token_endpoint", issuer + "oauth/token");
        doc.put("jwks_uri", issuer + ".well-known/jwks.json");
        strings(doc, "grant_types_supported", grantTypes);
        strings(doc, "response_types_supported", List.of("code"));
        strings(doc, "subject_types_supported", List.of("public"));
        // RS256 first: Auth0's validator middleware takes its algorithm list from here.
        strings(doc, "id_token_signing_alg_values_supported", List.of("RS256", "PS256", "HS256"));
        strings(doc, "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("request_parameter_supported", false);
        doc.put("request_uri_parameter_supported", false);
        try {
            this.document = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.header("Access-Control-Allow-Origin", "*");
        Json.write(ctx, 200, document);
    }

    private static void strings(ObjectNode doc, String name, List<String> values) {
        ArrayNode array = doc.putArray(name);
        values.forEach(array::add);
    }
}
