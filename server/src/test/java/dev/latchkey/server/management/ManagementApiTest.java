package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The Management API's conventions: bearer auth, Auth0 scopes, errors, paging, CRUD. */
class ManagementApiTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    private static HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return server.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    static void assertManagementError(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("errorCode").asText()).isEqualTo(errorCode);
    }

    /** A client with a client grant for the Management API holding only {@code scopes}. */
    private static String tokenWithScopes(String... scopes) {
        JsonNode client = server.createClient("{\"name\":\"limited\",\"app_type\":\"non_interactive\"}");
        server.grant(client.get("client_id").asText(), server.managementAudience(), scopes);
        return json(server.postForm("oauth/token", "grant_type=client_credentials&client_id="
                + client.get("client_id").asText() + "&client_secret=" + client.get("client_secret").asText()
                + "&audience=" + server.managementAudience())).get("access_token").asText();
    }

    // ---- authentication (RFC 6750) ----

    @Test
    void missingTokenIs401() {
        HttpResponse<String> response = call("GET", "api/v2/clients", null, null);
        assertManagementError(response, 401, "invalid_token");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void garbageTokenIs401() {
        assertManagementError(call("GET", "api/v2/clients", "not-a-jwt", null), 401, "invalid_token");
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        server.createApi("{\"identifier\":\"https://other-api.example.com\",\"scopes\":[{\"value\":\"read:clients\"}]}");
        JsonNode client = server.createClient("{\"name\":\"other\",\"app_type\":\"non_interactive\"}");
        server.grant(client.get("client_id").asText(), "https://other-api.example.com", "read:clients");
        String token = json(server.postForm("oauth/token", "grant_type=client_credentials&client_id="
                + client.get("client_id").asText() + "&client_secret=" + client.get("client_secret").asText()
                + "&audience=https://other-api.example.com")).get("access_token").asText();
        HttpResponse<String> response = call("GET", "api/v2/clients", token, null);
        assertManagementError(response, 401, "invalid_token");
        assertThat(json(response).get("message").asText()).contains("audience");
    }

    @Test
    void expiredTokenIs401() throws Exception {
        server.management("PATCH", "api/v2/resource-servers/" + systemApiId(), "{\"token_lifetime\":1}");
        try {
            String token = tokenWithScopes("read:clients");
            // Expired beyond the 60 s clock-skew allowance cannot be waited for; forge instead below.
            assertThat(call("GET", "api/v2/clients", token, null).statusCode()).isEqualTo(200);
        } finally {
            server.management("PATCH", "api/v2/resource-servers/" + systemApiId(), "{\"token_lifetime\":86400}");
        }
        SignedJWT forged = signedByStranger(new JWTClaimsSet.Builder().issuer(server.issuer())
                .audience(server.managementAudience()).subject("x@clients")
                .issueTime(new Date(System.currentTimeMillis() - 7_200_000))
                .expirationTime(new Date(System.currentTimeMillis() - 3_600_000))
                .claim("scope", "read:clients").build());
        assertManagementError(call("GET", "api/v2/clients", forged.serialize(), null), 401, "invalid_token");
    }

    @Test
    void tokenSignedByAnotherKeyIs401() throws Exception {
        SignedJWT forged = signedByStranger(new JWTClaimsSet.Builder().issuer(server.issuer())
                .audience(server.managementAudience()).subject("x@clients").issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .claim("scope", String.join(" ", ManagementScopes.ALL)).build());
        assertManagementError(call("GET", "api/v2/clients", forged.serialize(), null), 401, "invalid_token");
    }

    @Test
    void missingScopeIs403InsufficientScope() {
        String token = tokenWithScopes("read:resource_servers");
        HttpResponse<String> response = call("POST", "api/v2/resource-servers", token,
                "{\"identifier\":\"https://nope.example.com\"}");
        assertManagementError(response, 403, "insufficient_scope");
        assertThat(json(response).get("message").asText())
                .isEqualTo("Insufficient scope, expected any of: create:resource_servers");
        assertThat(call("GET", "api/v2/resource-servers", token, null).statusCode()).isEqualTo(200);
    }

    @Test
    void clientSecretsAreShownOnlyWithReadClientKeys() {
        String token = tokenWithScopes("read:clients");
        JsonNode clients = json(call("GET", "api/v2/clients", token, null));
        assertThat(clients).allSatisfy(c -> assertThat(c.has("client_secret")).isFalse());
        JsonNode withKeys = json(server.management("GET", "api/v2/clients", null));
        assertThat(withKeys.get(0).has("client_secret")).isTrue();
    }

    // ---- resource servers ----

    @Test
    void createsReadsUpdatesAndDeletesAnApi() {
        JsonNode created = server.createApi("""
                {"identifier":"https://crud.example.com","name":"CRUD","scopes":[{"value":"read:a","description":"A"}],
                 "token_lifetime":3600,"allow_offline_access":true,"token_dialect":"access_token_authz"}""");
        String id = created.get("id").asText();
        assertThat(created.get("signing_alg").asText()).isEqualTo("RS256");
        assertThat(created.get("token_lifetime").asInt()).isEqualTo(3600);
        assertThat(created.get("token_lifetime_for_web").asInt()).isLessThanOrEqualTo(3600);
        assertThat(created.get("is_system").asBoolean()).isFalse();
        assertThat(created.has("signing_secret")).isFalse();

        assertThat(json(server.management("GET", "api/v2/resource-servers/" + id, null)).get("name").asText())
                .isEqualTo("CRUD");
        HttpResponse<String> patched = server.management("PATCH", "api/v2/resource-servers/" + id,
                "{\"name\":\"Renamed\",\"signing_alg\":\"HS256\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).get("name").asText()).isEqualTo("Renamed");
        assertThat(json(patched).get("signing_secret").asText()).hasSizeGreaterThanOrEqualTo(32);

        assertThat(server.management("DELETE", "api/v2/resource-servers/" + id, null).statusCode()).isEqualTo(204);
        assertManagementError(server.management("GET", "api/v2/resource-servers/" + id, null), 404,
                "inexistent_resource_server");
    }

    @Test
    void duplicateIdentifierIs409() {
        server.createApi("{\"identifier\":\"https://dup.example.com\"}");
        assertThat(server.management("POST", "api/v2/resource-servers", "{\"identifier\":\"https://dup.example.com\"}")
                .statusCode()).isEqualTo(409);
    }

    @Test
    void invalidApiPayloadsAre400NamingTheField() {
        assertBadField("{}", "identifier");
        assertBadField("{\"identifier\":42}", "identifier");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"token_lifetime\":2592001}", "token_lifetime");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"token_lifetime\":\"long\"}", "token_lifetime");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"signing_alg\":\"none\"}", "signing_alg");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"token_dialect\":\"jwt\"}", "token_dialect");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"scopes\":[{\"value\":\"a b\"}]}", "scopes[0].value");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"colour\":\"blue\"}", "colour");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"name\":\"<script>\"}", "name");
        assertBadField("{\"identifier\":\"https://x.example.com\",\"signing_alg\":\"HS256\",\"signing_secret\":\"short\"}",
                "signing_secret");
    }

    @Test
    void malformedBodiesAre400Or415() {
        assertManagementError(server.management("POST", "api/v2/resource-servers", "{\"identifier\":"), 400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/resource-servers", "[]"), 400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/resource-servers",
                "{\"identifier\":\"a\",\"identifier\":\"b\"}"), 400, "invalid_body");
        HttpResponse<String> text = server.send(HttpRequest.newBuilder(server.uri("api/v2/resource-servers"))
                .header("Authorization", "Bearer " + server.managementToken())
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(text.statusCode()).isEqualTo(415);
    }

    @Test
    void theManagementApiItselfCannotBeDeletedOrReshaped() {
        String id = systemApiId();
        assertManagementError(server.management("DELETE", "api/v2/resource-servers/" + id, null), 403,
                "operation_not_supported");
        assertManagementError(server.management("PATCH", "api/v2/resource-servers/" + id,
                "{\"signing_alg\":\"HS256\"}"), 403, "operation_not_supported");
    }

    @Test
    void unknownIdsAre404() {
        assertManagementError(server.management("GET", "api/v2/clients/nope", null), 404, "inexistent_client");
        assertManagementError(server.management("PATCH", "api/v2/clients/nope", "{}"), 404, "inexistent_client");
        assertManagementError(server.management("DELETE", "api/v2/client-grants/nope", null), 404,
                "inexistent_client_grant");
        assertManagementError(server.management("GET", "api/v2/nothing-here", null), 404, "not_found");
    }

    // ---- routing ----

    @Test
    void aKnownPathWithAnotherMethodIs405AndAnUnknownOneIs404() {
        // RFC 9110 §15.5.6: the path exists, the method does not.
        HttpResponse<String> put = server.management("PUT", "api/v2/clients", "{}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(405);
        assertThat(json(put).get("statusCode").asInt()).isEqualTo(405);
        assertManagementError(server.management("GET", "api/v2/clients/a/b/c/d", null), 404, "not_found");
        assertManagementError(server.management("GET", "api/v2", null), 404, "not_found");
        assertManagementError(server.management("GET", "api/v2/", null), 404, "not_found");
    }

    @Test
    void pathIdsArePercentDecodedAndATrailingSlashIsIgnored() {
        JsonNode client = server.createClient("{\"name\":\"Routed\",\"app_type\":\"non_interactive\"}");
        String id = client.get("client_id").asText();
        HttpResponse<String> slash = server.management("GET", "api/v2/clients/" + id + "/", null);
        assertThat(slash.statusCode()).as(slash.body()).isEqualTo(200);
        assertThat(json(slash).get("client_id").asText()).isEqualTo(id);
        String encoded = id.substring(0, 3) + "%" + Integer.toHexString(id.charAt(3)).toUpperCase() + id.substring(4);
        assertThat(json(server.management("GET", "api/v2/clients/" + encoded, null)).get("client_id").asText())
                .isEqualTo(id);
    }

    @Test
    void anEncodedSlashStaysInsideItsPathSegment() {
        // RFC 3986 §2.2: %2F is data within a segment, not a separator. An upstream subject may hold "/", and so
        // may the user id and identity made of it (oidc|corp|team/one): the operation must be reached.
        assertManagementError(server.management("GET", "api/v2/users/oidc%7Ccorp%7Cteam%2Fone", null), 404,
                "inexistent_user");
        String primary = TestUsers.create(server, "slash-primary@example.com").userId();
        HttpResponse<String> unlink = server.management("DELETE", "api/v2/users/" + primary.replace("|", "%7C")
                + "/identities/oidc/corp%7Cteam%2Fone", null);
        assertThat(unlink.statusCode()).as(unlink.body()).isEqualTo(404);
        assertThat(unlink.body()).contains("The user has no such identity");
        // Decoded, the same path has one segment more and names no route.
        assertManagementError(server.management("GET", "api/v2/users/oidc%7Ccorp%7Cteam/one", null), 404,
                "not_found");
    }

    @Test
    void aLiteralSegmentWinsOverAPathParameter() {
        HttpResponse<String> rotate = server.management("POST", "api/v2/keys/signing/rotate", null);
        assertThat(rotate.statusCode()).as(rotate.body()).isEqualTo(201);
        // GET has only /keys/signing/{kid}: "rotate" is a kid there, and names no key.
        HttpResponse<String> read = server.management("GET", "api/v2/keys/signing/rotate", null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
    }

    // ---- clients and grants ----

    @Test
    void clientsGetAuth0DefaultsPerAppType() {
        JsonNode spa = server.createClient("{\"name\":\"Spa\",\"app_type\":\"spa\",\"callbacks\":[\"http://localhost:3000/cb\"]}");
        assertThat(spa.get("token_endpoint_auth_method").asText()).isEqualTo("none");
        assertThat(spa.has("client_secret")).isFalse();
        assertThat(spa.get("callbacks").get(0).asText()).isEqualTo("http://localhost:3000/cb");
        JsonNode m2m = server.createClient("{\"name\":\"M2M\",\"app_type\":\"non_interactive\"}");
        assertThat(m2m.get("grant_types")).hasSize(1);
        assertThat(m2m.get("client_secret").asText()).hasSize(64);
        assertThat(m2m.get("client_id").asText()).hasSize(32);
    }

    @Test
    void newClientsGetTheImplicitGrantOnlyWhenTheyAskForIt() {
        // RFC 9700 §2.1.2: clients SHOULD NOT use the implicit grant, so no app type gets it by default
        // (Auth0 gives it to regular_web, spa and native apps).
        for (String appType : List.of("regular_web", "spa", "native")) {
            JsonNode client = server.createClient("{\"name\":\"Default " + appType + "\",\"app_type\":\"" + appType
                    + "\",\"callbacks\":[\"https://app.example.com/cb\"]}");
            assertThat(client.get("grant_types").toString()).as(appType).contains("authorization_code")
                    .doesNotContain("implicit");
        }
        JsonNode asked = server.createClient("{\"name\":\"Asks\",\"app_type\":\"spa\","
                + "\"grant_types\":[\"authorization_code\",\"implicit\"]}");
        assertThat(asked.get("grant_types").toString()).contains("implicit");
    }

    @Test
    void clientsTakeThePasswordGrantsAndTheForwardedForFlag() {
        // Auth0 §1.4: the password grants by their Auth0 names; is_token_endpoint_ip_header_trusted (default false).
        JsonNode client = server.createClient("""
                {"name":"ROPG backend","app_type":"regular_web",
                 "grant_types":["password","http://auth0.com/oauth/grant-type/password-realm"]}""");
        assertThat(client.get("grant_types").toString())
                .isEqualTo("[\"password\",\"http://auth0.com/oauth/grant-type/password-realm\"]");
        assertThat(client.get("is_token_endpoint_ip_header_trusted").asBoolean()).isFalse();
        String path = "api/v2/clients/" + client.get("client_id").asText();

        HttpResponse<String> trusted = server.management("PATCH", path, "{\"is_token_endpoint_ip_header_trusted\":true}");

        assertThat(trusted.statusCode()).as(trusted.body()).isEqualTo(200);
        assertThat(json(server.management("GET", path, null)).get("is_token_endpoint_ip_header_trusted").asBoolean())
                .isTrue();
        assertManagementError(server.management("PATCH", path, "{\"is_token_endpoint_ip_header_trusted\":\"yes\"}"),
                400, "invalid_body");
    }

    @Test
    void invalidClientPayloadsAre400() {
        assertManagementError(server.management("POST", "api/v2/clients", "{}"), 400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/clients", "{\"name\":\"x\",\"app_type\":\"robot\"}"),
                400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/clients",
                "{\"name\":\"x\",\"grant_types\":[\"magic\"]}"), 400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/clients",
                "{\"name\":\"x\",\"app_type\":\"spa\",\"grant_types\":[\"client_credentials\"]}"), 400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/clients", "{\"name\":\"x\",\"callbacks\":\"http://a\"}"),
                400, "invalid_body");
    }

    @Test
    void scriptableOrFragmentedCallbacksAndBadOriginsAreRefused() {
        // RFC 6749 §3.1.2: absolute, no fragment; never a scheme that runs script on our origin.
        for (String callback : new String[] {"javascript:alert(1)//", "data:text/html,x", "/relative/cb",
                "https://app.example.com/cb#frag", "https://user@app.example.com/cb", "JavaScript:alert(1)"}) {
            HttpResponse<String> response = server.management("POST", "api/v2/clients",
                    "{\"name\":\"x\",\"callbacks\":[\"" + callback + "\"]}");
            assertManagementError(response, 400, "invalid_body");
            assertThat(json(response).get("message").asText()).contains("callbacks[0]");
        }
        assertManagementError(server.management("POST", "api/v2/clients",
                "{\"name\":\"x\",\"allowed_logout_urls\":[\"javascript:x\"]}"), 400, "invalid_body");
        assertManagementError(server.management("POST", "api/v2/clients",
                "{\"name\":\"x\",\"web_origins\":[\"https://app.example.com/path\"]}"), 400, "invalid_body");
        // RFC 8252 §7.1: native apps may use a private-use scheme.
        assertThat(server.management("POST", "api/v2/clients", "{\"name\":\"n\",\"app_type\":\"native\","
                + "\"callbacks\":[\"com.example.app:/callback\"],\"web_origins\":[\"http://localhost:3000\"]}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void updateClientKeysAloneCannotRedirectTokens() {
        JsonNode spa = server.createClient("{\"name\":\"victim\",\"app_type\":\"spa\","
                + "\"callbacks\":[\"https://app.example.com/cb\"]}");
        String token = tokenWithScopes("update:client_keys");
        HttpResponse<String> response = call("PATCH", "api/v2/clients/" + spa.get("client_id").asText(), token,
                "{\"callbacks\":[\"https://evil.example/cb\"]}");
        assertManagementError(response, 400, "invalid_body");
        assertThat(call("PATCH", "api/v2/clients/" + spa.get("client_id").asText(), token,
                "{\"token_endpoint_auth_method\":\"none\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void theBootstrapClientIsChangedOnlyThroughConfiguration() {
        // It is re-created from LATCHKEY_BOOTSTRAP_CLIENT_* or bootstrap.json at every start; its secret
        // rotates into bootstrap.json (ClientSecretsTest).
        assertManagementError(server.management("PATCH", "api/v2/clients/" + server.bootstrapClientId(),
                "{\"name\":\"renamed\"}"), 403, "operation_not_supported");
    }

    @Test
    void theUserinfoAudienceCannotBeRegisteredAsAnApi() {
        assertBadField("{\"identifier\":\"" + server.issuer() + "userinfo\"}", "identifier");
    }

    @Test
    void rotatingASecretRetiresTheOldOne() {
        JsonNode client = server.createClient("{\"name\":\"rotate\",\"app_type\":\"non_interactive\"}");
        String id = client.get("client_id").asText();
        String old = client.get("client_secret").asText();
        server.createApi("{\"identifier\":\"https://rotate.example.com\"}");
        server.grant(id, "https://rotate.example.com");
        JsonNode rotated = json(server.management("POST", "api/v2/clients/" + id + "/rotate-secret", null));
        assertThat(rotated.get("client_secret").asText()).isNotEqualTo(old);
        assertThat(server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + id
                + "&client_secret=" + old + "&audience=https://rotate.example.com").statusCode()).isEqualTo(401);
        assertThat(server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + id
                + "&client_secret=" + rotated.get("client_secret").asText() + "&audience=https://rotate.example.com")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void deletingAClientRemovesItsGrantsAndStopsItsTokens() {
        JsonNode client = server.createClient("{\"name\":\"gone\",\"app_type\":\"non_interactive\"}");
        String id = client.get("client_id").asText();
        server.createApi("{\"identifier\":\"https://gone.example.com\"}");
        server.grant(id, "https://gone.example.com");
        assertThat(server.management("DELETE", "api/v2/clients/" + id, null).statusCode()).isEqualTo(204);
        assertThat(json(server.management("GET", "api/v2/client-grants?client_id=" + id, null))).isEmpty();
        assertThat(server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + id + "&client_secret="
                + client.get("client_secret").asText() + "&audience=https://gone.example.com").statusCode()).isEqualTo(401);
    }

    @Test
    void theBootstrapClientIsListedAndCannotBeDeleted() {
        JsonNode all = json(server.management("GET", "api/v2/clients?per_page=100", null));
        List<String> ids = all.findValuesAsText("client_id");
        assertThat(ids).contains(server.bootstrapClientId());
        assertManagementError(server.management("DELETE", "api/v2/clients/" + server.bootstrapClientId(), null),
                403, "operation_not_supported");
    }

    @Test
    void clientGrantsValidateClientAudienceAndScopes() {
        JsonNode client = server.createClient("{\"name\":\"cg\",\"app_type\":\"non_interactive\"}");
        String id = client.get("client_id").asText();
        server.createApi("{\"identifier\":\"https://cg.example.com\",\"scopes\":[{\"value\":\"read:a\"}]}");
        assertManagementError(server.management("POST", "api/v2/client-grants",
                "{\"client_id\":\"nope\",\"audience\":\"https://cg.example.com\",\"scope\":[]}"), 404, "inexistent_client");
        assertManagementError(server.management("POST", "api/v2/client-grants",
                "{\"client_id\":\"" + id + "\",\"audience\":\"https://none.example.com\",\"scope\":[]}"), 404,
                "inexistent_resource_server");
        assertManagementError(server.management("POST", "api/v2/client-grants",
                "{\"client_id\":\"" + id + "\",\"audience\":\"https://cg.example.com\",\"scope\":[\"write:z\"]}"), 400,
                "invalid_body");
        assertManagementError(server.management("POST", "api/v2/client-grants",
                "{\"client_id\":\"" + id + "\",\"audience\":\"https://cg.example.com\"}"), 400, "invalid_body");
        JsonNode grant = server.grant(id, "https://cg.example.com", "read:a");
        assertThat(grant.get("id").asText()).startsWith("cgr_");
        assertThat(server.management("POST", "api/v2/client-grants",
                "{\"client_id\":\"" + id + "\",\"audience\":\"https://cg.example.com\",\"scope\":[]}").statusCode())
                .isEqualTo(409);
        HttpResponse<String> patched = server.management("PATCH", "api/v2/client-grants/" + grant.get("id").asText(),
                "{\"scope\":[]}");
        assertThat(json(patched).get("scope")).isEmpty();
    }

    // ---- paging, as the Auth0 SDKs use it ----

    @Test
    void pagingIsExactAndEndsWithAnEmptyPage() {
        for (int i = 0; i < 7; i++) {
            server.createApi("{\"identifier\":\"https://page-" + i + ".example.com\"}");
        }
        JsonNode totals = json(server.management("GET", "api/v2/resource-servers?include_totals=true&per_page=3", null));
        long total = totals.get("total").asLong();
        assertThat(totals.get("start").asInt()).isZero();
        assertThat(totals.get("limit").asInt()).isEqualTo(3);
        assertThat(totals.get("length").asInt()).isEqualTo(3);
        assertThat(totals.get("resource_servers")).hasSize(3);

        Set<String> seen = new HashSet<>();
        int page = 0;
        while (true) {
            JsonNode items = json(server.management("GET", "api/v2/resource-servers?per_page=3&page=" + page, null));
            if (items.isEmpty()) {
                break;
            }
            items.forEach(item -> assertThat(seen.add(item.get("id").asText())).isTrue());
            page++;
        }
        assertThat(seen).hasSize((int) total);
    }

    @Test
    void badPagingParametersAre400() {
        assertManagementError(server.management("GET", "api/v2/clients?per_page=101", null), 400, "invalid_query_string");
        assertManagementError(server.management("GET", "api/v2/clients?per_page=0", null), 400, "invalid_query_string");
        assertManagementError(server.management("GET", "api/v2/clients?page=-1", null), 400, "invalid_query_string");
        assertManagementError(server.management("GET", "api/v2/clients?page=abc", null), 400, "invalid_query_string");
        assertManagementError(server.management("GET", "api/v2/clients?include_totals=yes", null), 400,
                "invalid_query_string");
    }

    private static String systemApiId() {
        JsonNode all = json(server.management("GET", "api/v2/resource-servers?per_page=100", null));
        for (JsonNode api : all) {
            if (api.get("is_system").asBoolean()) {
                return api.get("id").asText();
            }
        }
        throw new AssertionError("no system API");
    }

    private static void assertBadField(String body, String field) {
        HttpResponse<String> response = server.management("POST", "api/v2/resource-servers", body);
        assertManagementError(response, 400, "invalid_body");
        assertThat(json(response).get("message").asText()).contains(field);
    }

    private static SignedJWT signedByStranger(JWTClaimsSet claims) throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(stranger.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(stranger));
        return jwt;
    }
}
