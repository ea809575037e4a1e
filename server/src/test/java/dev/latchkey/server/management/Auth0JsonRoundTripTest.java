package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's full JSON, round-tripped: every property of Auth0's Management API schema for clients, resource
 * servers, client grants, roles and tenant settings is accepted, kept and returned, whether Latchkey acts on it
 * or not; only what Auth0 refuses (an unknown or read-only property, a wrong type, a value outside an
 * enumeration) is its 400 "Payload validation error". The payloads are shaped as auth0-deploy-cli sends them.
 */
class Auth0JsonRoundTripTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    static final String CLIENT = """
            {"name":"Round trip","description":"Every property of Auth0's client","app_type":"regular_web",
             "logo_uri":"https://cdn.example.com/logo.png","is_first_party":true,"oidc_conformant":true,
             "callbacks":["https://rt.example.com/callback"],"allowed_origins":["https://rt.example.com"],
             "web_origins":["https://rt.example.com"],"client_aliases":["rt"],"allowed_clients":[],
             "allowed_logout_urls":["https://rt.example.com/bye"],
             "grant_types":["authorization_code","refresh_token","client_credentials"],
             "token_endpoint_auth_method":"client_secret_post","is_token_endpoint_ip_header_trusted":false,
             "jwt_configuration":{"alg":"RS256","lifetime_in_seconds":36000,"secret_encoded":false},
             "sso":false,"sso_disabled":false,"cross_origin_authentication":false,
             "cross_origin_loc":"https://rt.example.com/cross-origin","custom_login_page_on":true,
             "custom_login_page":"<html>\\n<body>Log in</body>\\n</html>","custom_login_page_preview":"<html></html>",
             "form_template":"<form></form>","addons":{"samlp":{"audience":"urn:rt","mappings":{"email":"mail"}}},
             "client_metadata":{"team":"identity"},
             "mobile":{"android":{"app_package_name":"com.example.rt","sha256_cert_fingerprints":[]}},
             "initiate_login_uri":"https://rt.example.com/login",
             "native_social_login":{"apple":{"enabled":false},"facebook":{"enabled":false}},
             "refresh_token":{"rotation_type":"non-rotating","expiration_type":"non-expiring","leeway":0,
              "token_lifetime":2592000,"infinite_token_lifetime":true,"idle_token_lifetime":1296000,
              "infinite_idle_token_lifetime":true},
             "oidc_logout":{"backchannel_logout_urls":["https://rt.example.com/backchannel"]},
             "session_transfer":{"can_create_session_transfer_token":false,"enforce_device_binding":"ip"},
             "organization_usage":"deny","organization_require_behavior":"no_prompt",
             "organization_discovery_methods":["email"],"default_organization":null,
             "require_pushed_authorization_requests":false,"require_proof_of_possession":false,
             "compliance_level":null,"par_request_expiry":null,
             "skip_non_verifiable_callback_uri_confirmation_prompt":false,
             "token_quota":{"client_credentials":{"enforce":true,"per_day":1000}},"encryption_key":null}""";

    static final String API = """
            {"name":"Round trip API","identifier":"https://rt-api.example.com",
             "scopes":[{"value":"read:rt","description":"Read"}],"signing_alg":"RS256","allow_offline_access":true,
             "token_lifetime":86400,"token_lifetime_for_web":7200,
             "skip_consent_for_verifiable_first_party_clients":true,"enforce_policies":true,
             "token_dialect":"access_token_authz","allow_online_access":false,"consent_policy":null,
             "authorization_details":[{"type":"payment"}],"token_encryption":null,
             "proof_of_possession":{"mechanism":"dpop","required":false},
             "subject_type_authorization":{"user":{"policy":"allow_all"},"client":{"policy":"require_client_grant"}}}""";

    static final String TENANT = """
            {"friendly_name":"Round Trip","picture_url":"https://cdn.example.com/tenant.png",
             "support_email":"support@example.com","support_url":"https://example.com/support",
             "allowed_logout_urls":["https://rt.example.com/bye"],"session_lifetime":48,"idle_session_lifetime":12,
             "default_audience":"","default_directory":"Username-Password-Authentication",
             "enabled_locales":["en","fr"],"sandbox_version":"18",
             "flags":{"enable_sso":true,"revoke_refresh_token_grant":false,"remove_alg_from_jwks":false},
             "error_page":{"html":"","show_log_link":false,"url":"https://example.com/error"},
             "device_flow":{"charset":"base20","mask":"****-****"},
             "change_password":{"enabled":false,"html":""},"guardian_mfa_page":{"enabled":false,"html":""},
             "oidc_logout":{"rp_logout_end_session_endpoint_discovery":true},
             "sessions":{"oidc_logout_prompt_enabled":false},"session_cookie":{"mode":"persistent"},
             "acr_values_supported":[],"pushed_authorization_requests_supported":false,
             "default_redirection_uri":"https://rt.example.com/login","customize_mfa_in_postlogin_action":false,
             "allow_organization_name_in_authentication_api":false,"resource_parameter_profile":"audience"}""";

    @Test
    void aClientKeepsEveryPropertyItWasGiven() throws Exception {
        JsonNode sent = TestServer.JSON.readTree(CLIENT);
        JsonNode created = server.createClient(CLIENT);
        assertHolds(created, sent);
        String path = "api/v2/clients/" + created.path("client_id").asText();
        assertHolds(json(server.management("GET", path, null)), sent);
        JsonNode listed = json(server.management("GET", "api/v2/clients?per_page=100", null));
        JsonNode inList = null;
        for (JsonNode item : listed) {
            if (item.path("client_id").asText().equals(created.path("client_id").asText())) {
                inList = item;
            }
        }
        assertHolds(inList, sent);

        // Auth0's PATCH replaces the properties it names and leaves the others.
        JsonNode patched = json(server.management("PATCH", path,
                "{\"logo_uri\":\"https://cdn.example.com/new.png\",\"compliance_level\":\"none\"}"));
        assertThat(patched.path("logo_uri").asText()).isEqualTo("https://cdn.example.com/new.png");
        assertThat(patched.path("compliance_level").asText()).isEqualTo("none");
        assertThat(patched.path("addons")).isEqualTo(sent.path("addons"));
        assertThat(json(server.management("GET", path, null)).path("logo_uri").asText())
                .isEqualTo("https://cdn.example.com/new.png");
    }

    @Test
    void anApiAClientGrantAndARoleKeepEveryPropertyTheyWereGiven() throws Exception {
        JsonNode api = server.createApi(API);
        assertHolds(api, TestServer.JSON.readTree(API));
        assertHolds(json(server.management("GET", "api/v2/resource-servers/" + api.path("id").asText(), null)),
                TestServer.JSON.readTree(API));

        String clientId = server.createClient("{\"name\":\"rt grant\",\"app_type\":\"non_interactive\"}")
                .path("client_id").asText();
        String grant = """
                {"client_id":"%s","audience":"https://rt-api.example.com","scope":["read:rt"],
                 "organization_usage":"allow","allow_any_organization":true,"subject_type":"client",
                 "authorization_details_types":["payment"]}""".formatted(clientId);
        HttpResponse<String> created = server.management("POST", "api/v2/client-grants", grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertHolds(json(created), TestServer.JSON.readTree(grant));
        assertHolds(json(server.management("GET", "api/v2/client-grants/" + json(created).path("id").asText(), null)),
                TestServer.JSON.readTree(grant));

        String role = "{\"name\":\"Round trip role\",\"description\":\"Kept\",\"type\":\"tenant\"}";
        HttpResponse<String> createdRole = server.management("POST", "api/v2/roles", role);
        assertThat(createdRole.statusCode()).as(createdRole.body()).isEqualTo(201);
        assertHolds(json(server.management("GET", "api/v2/roles/" + json(createdRole).path("id").asText(), null)),
                TestServer.JSON.readTree(role));
    }

    @Test
    void theTenantSettingsKeepEveryPropertyTheyWereGiven() throws Exception {
        HttpResponse<String> patched = server.management("PATCH", "api/v2/tenants/settings", TENANT);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertHolds(json(patched), TestServer.JSON.readTree(TENANT));
        assertHolds(json(server.management("GET", "api/v2/tenants/settings", null)), TestServer.JSON.readTree(TENANT));
    }

    @Test
    void patchingClientSecretSetsTheSecretForThoseWhoMayReadIt() {
        server.createApi("{\"identifier\":\"https://rt-secret.example.com\",\"scopes\":[{\"value\":\"s\"}]}");
        JsonNode client = server.createClient("{\"name\":\"rt secret\",\"app_type\":\"non_interactive\"}");
        String clientId = client.path("client_id").asText();
        server.grant(clientId, "https://rt-secret.example.com", "s");
        String path = "api/v2/clients/" + clientId;
        String chosen = "a-secret-chosen-by-its-owner-0123456789";

        // Setting a secret is knowing it: a caller that could not read it (SecretAccess) may not set it.
        String keysOnly = ManagementCalls.tokenWithScopes(server, "update:client_keys");
        assertManagementError(ManagementCalls.call(server, keysOnly, "PATCH", path,
                "{\"client_secret\":\"" + chosen + "\"}"), 403, "insufficient_scope");
        assertManagementError(server.management("PATCH", path, "{\"client_secret\":\"short\"}"), 400, "invalid_body");

        HttpResponse<String> set = server.management("PATCH", path, "{\"client_secret\":\"" + chosen + "\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).path("client_secret").asText()).isEqualTo(chosen);
        String form = "grant_type=client_credentials&audience=https://rt-secret.example.com&client_id=" + clientId;
        assertThat(server.postForm("oauth/token", form + "&client_secret=" + chosen).statusCode()).isEqualTo(200);
        assertThat(server.postForm("oauth/token", form + "&client_secret="
                + client.path("client_secret").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyWhatAuth0RefusesIsAPayloadValidationError() {
        Map<String, String> refused = Map.of(
                "{\"name\":\"x\",\"no_such_property\":1}", "Additional properties not allowed: no_such_property",
                // Read-only properties Auth0 answers are not taken back (auth0-deploy-cli strips them).
                "{\"name\":\"x\",\"client_id\":\"abc\"}", "Additional properties not allowed: client_id",
                "{\"name\":\"x\",\"tenant\":\"t\",\"global\":false}", "Additional properties not allowed: global,tenant",
                "{\"name\":\"x\",\"logo_uri\":5}", "Expected type string but found type integer",
                "{\"name\":\"x\",\"addons\":[]}", "Expected type object but found type array",
                "{\"name\":\"x\",\"organization_usage\":\"sometimes\"}", "No enum match for: \\\"sometimes\\\"",
                "{\"name\":\"x\",\"sso\":null}", "Expected type boolean but found type null",
                "{\"name\":\"x\",\"addons\":{\"samlp\":{\"audience\":\"a\\u0000\"}}}", "control characters",
                "{\"name\":\"x\",\"addons\":{\"sa\\u0007mlp\":{}}}", "control characters",
                "{\"name\":\"x\",\"client_aliases\":[\"a\\u001b\"]}", "control characters");
        refused.forEach((body, words) -> {
            HttpResponse<String> response = server.management("POST", "api/v2/clients", body);
            assertManagementError(response, 400, "invalid_body");
            assertThat(json(response).path("message").asText()).as(body)
                    .startsWith("Payload validation error").contains(words.replace("\\\"", "\""));
        });
        HttpResponse<String> identifierChange = server.management("PATCH", "api/v2/resource-servers/"
                + server.createApi("{\"identifier\":\"https://rt-refused.example.com\"}").path("id").asText(),
                "{\"identifier\":\"https://other.example.com\"}");
        assertManagementError(identifierChange, 400, "invalid_body");
        HttpResponse<String> grantAudience = server.management("POST", "api/v2/client-grants",
                "{\"client_id\":\"x\",\"audience\":\"y\",\"scope\":[],\"subject_type\":\"robot\"}");
        assertManagementError(grantAudience, 400, "invalid_body");
    }

    /** Every property of {@code sent} is in {@code answer} with the same value (objects: at least the sent keys). */
    private static void assertHolds(JsonNode answer, JsonNode sent) {
        assertThat(answer).as("no answer").isNotNull();
        for (Iterator<Map.Entry<String, JsonNode>> it = sent.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode got = answer.get(field.getKey());
            assertThat(got).as(field.getKey() + " missing from " + answer).isNotNull();
            if (field.getValue().isObject() && got.isObject()) {
                assertHolds(got, field.getValue());
            } else if (field.getValue().isNumber()) {
                assertThat(got.decimalValue()).as(field.getKey()).isEqualByComparingTo(field.getValue().decimalValue());
            } else {
                assertThat(got).as(field.getKey()).isEqualTo(field.getValue());
            }
        }
    }
}
