package dev.latchkey.server.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.oauth.authorize.AuthenticationContextClass;
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
        doc.put("userinfo_endpoint", issuer + "userinfo");
        doc.put("jwks_uri", issuer + ".well-known/jwks.json");
        doc.put("end_session_endpoint", issuer + "oidc/logout");
        doc.put("revocation_endpoint", issuer + "oauth/revoke");
        doc.put("introspection_endpoint", issuer + "oauth/introspect");
        // RFC 8628 §4.
        doc.put("device_authorization_endpoint", issuer + "oauth/device/code");
        List<String> grants = new java.util.ArrayList<>(grantTypes);
        // The implicit grant has no token-endpoint handler: its tokens come from /authorize.
        if (!grants.contains("implicit")) {
            grants.add(grants.indexOf("authorization_code") + 1, "implicit");
        }
        strings(doc, "grant_types_supported", grants);
        strings(doc, "response_types_supported", List.of("code", "token", "id_token", "id_token token",
                "code id_token", "code token", "code id_token token"));
        strings(doc, "response_modes_supported", List.of("query", "fragment", "form_post", "web_message"));
        strings(doc, "code_challenge_methods_supported", List.of("S256"));
        strings(doc, "scopes_supported", List.of("openid", "profile", "email", "address", "phone",
                "offline_access"));
        strings(doc, "claims_supported", List.of("aud", "auth_time", "email", "email_verified", "exp",
                "family_name", "given_name", "iat", "iss", "name", "nickname", "picture", "sid", "sub",
                "updated_at", "nonce", "at_hash", "c_hash", "phone_number", "phone_verified", "address", "acr"));
        strings(doc, "acr_values_supported", AuthenticationContextClass.SUPPORTED);
        strings(doc, "prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        strings(doc, "subject_types_supported", List.of("public"));
        // RS256 first: Auth0's validator middleware takes its algorithm list from here.
        strings(doc, "id_token_signing_alg_values_supported", List.of("RS256", "PS256", "HS256"));
        strings(doc, "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        strings(doc, "revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        strings(doc, "introspection_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post"));
        // RFC 9207 §3: every authorization response carries iss.
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("claims_parameter_supported", false);
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
