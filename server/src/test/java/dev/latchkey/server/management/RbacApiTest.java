package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RBAC resources of the Management API in Auth0's shapes: {@code /roles} (CRUD, paging,
 * {@code name_filter}), a role's permissions and users, a user's roles and permissions, and the bad
 * input Auth0 refuses (unknown ids 404, unknown APIs or scopes 400, control characters 400, oversize
 * assignments 400).
 */
class RbacApiTest {

    static final String API = "https://example.com/rbac-api";

    @AutoClose
    private static final TestServer server = TestServer.start();

    @BeforeAll
    static void api() {
        server.createApi("""
                {"identifier":"%s","name":"Records","enforce_policies":true,
                 "scopes":[{"value":"read:records","description":"Read records"},{"value":"write:records"}]}"""
                .formatted(API));
    }

    @Test
    void roleIsCreatedReadUpdatedAndDeletedInAuth0Shape() {
        HttpResponse<String> created = call("POST", "api/v2/roles", """
                {"name":"Auditor","description":"Reads everything"}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode role = json(created);
        String id = role.path("id").asText();
        assertThat(id).startsWith("rol_");
        assertThat(role.path("name").asText()).isEqualTo("Auditor");
        assertThat(role.path("description").asText()).isEqualTo("Reads everything");

        assertThat(json(call("GET", "api/v2/roles/" + id, null))).isEqualTo(role);
        JsonNode updated = json(call("PATCH", "api/v2/roles/" + id, "{\"name\":\"Chief auditor\"}"));
        assertThat(updated.path("name").asText()).isEqualTo("Chief auditor");
        assertThat(updated.path("description").asText()).isEqualTo("Reads everything");

        assertThat(call("DELETE", "api/v2/roles/" + id, null).statusCode()).isEqualTo(204);
        assertManagementError(call("GET", "api/v2/roles/" + id, null), 404, "inexistent_role");
        assertManagementError(call("DELETE", "api/v2/roles/" + id, null), 404, "inexistent_role");
    }

    @Test
    void roleNamesAreUniqueAndRequired() {
        role("Unique one");
        assertManagementError(call("POST", "api/v2/roles", "{\"name\":\"Unique one\"}"), 409, "role_conflict");
        assertManagementError(call("POST", "api/v2/roles", "{\"description\":\"no name\"}"), 400, "invalid_body");
        assertManagementError(call("POST", "api/v2/roles", "{\"name\":\"x\",\"color\":\"red\"}"), 400,
                "invalid_body");
    }

    @Test
    void rolesPageExactlyAndFilterByNameIgnoringCase() {
        List<String> ids = new ArrayList<>();
        for (String letter : List.of("A", "B", "C", "D", "E")) {
            ids.add(role("Pager " + letter));
        }
        role("Other");

        JsonNode first = json(call("GET", "api/v2/roles?name_filter=PAGER&per_page=2&page=0&include_totals=true",
                null));
        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("start").asInt()).isZero();
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(first.path("length").asInt()).isEqualTo(2);
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            json(call("GET", "api/v2/roles?name_filter=pager&per_page=2&page=" + page, null))
                    .forEach(r -> seen.add(r.path("id").asText()));
        }
        // Pages neither skip nor repeat a role. They follow creation time, then id: roles made within the same
        // millisecond come in id order, so the creation order here is not the order of the pages.
        assertThat(seen).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(json(call("GET", "api/v2/roles?name_filter=pager&per_page=2&page=3", null))).isEmpty();
        // LIKE wildcards in the filter are taken literally.
        assertThat(json(call("GET", "api/v2/roles?name_filter=%25", null))).isEmpty();
    }

    @Test
    void rolePermissionsAreAddedListedAndRemoved() {
        String id = role("Records reader");
        assertThat(call("POST", "api/v2/roles/" + id + "/permissions",
                permissions("read:records", "write:records", "read:records")).statusCode()).isEqualTo(201);

        JsonNode listed = json(call("GET", "api/v2/roles/" + id + "/permissions?include_totals=true", null));
        assertThat(listed.path("total").asInt()).isEqualTo(2);
        JsonNode read = listed.path("permissions").get(0);
        assertThat(read.path("permission_name").asText()).isEqualTo("read:records");
        assertThat(read.path("description").asText()).isEqualTo("Read records");
        assertThat(read.path("resource_server_name").asText()).isEqualTo("Records");
        assertThat(read.path("resource_server_identifier").asText()).isEqualTo(API);

        assertThat(call("DELETE", "api/v2/roles/" + id + "/permissions", permissions("write:records")).statusCode())
                .isEqualTo(204);
        assertThat(json(call("GET", "api/v2/roles/" + id + "/permissions", null)))
                .extracting(p -> p.path("permission_name").asText()).containsExactly("read:records");
    }

    @Test
    void permissionsForUnknownApisOrScopesAreRefused() {
        String id = role("Refused");
        assertManagementError(call("POST", "api/v2/roles/" + id + "/permissions", """
                {"permissions":[{"resource_server_identifier":"https://nowhere.example.com",
                 "permission_name":"x"}]}"""),
                400, "invalid_body");
        assertManagementError(call("POST", "api/v2/roles/" + id + "/permissions", permissions("delete:records")),
                400, "invalid_body");
        // The Management API's own scopes are not permissions a role can hand out.
        assertManagementError(call("POST", "api/v2/roles/" + id + "/permissions", """
                {"permissions":[{"resource_server_identifier":"%s","permission_name":"read:users"}]}"""
                .formatted(server.managementAudience())), 400, "invalid_body");
        assertManagementError(call("POST", "api/v2/roles/" + id + "/permissions", "{\"permissions\":[]}"), 400,
                "invalid_body");
        User user = TestUsers.create(server, "refused@example.com");
        assertManagementError(call("POST", users(user, "permissions"), permissions("delete:records")), 400,
                "invalid_body");
        assertThat(json(call("GET", "api/v2/roles/" + id + "/permissions", null))).isEmpty();
    }

    @Test
    void roleUsersAndUserRolesAreTwoViewsOfOneAssignment() {
        String id = role("Members");
        User ada = TestUsers.create(server, "ada.members@example.com");
        User bob = TestUsers.create(server, "bob.members@example.com");
        assertThat(call("POST", "api/v2/roles/" + id + "/users", "{\"users\":[\"" + ada.userId() + "\",\""
                + bob.userId() + "\"]}").statusCode()).isEqualTo(200);

        JsonNode members = json(call("GET", "api/v2/roles/" + id + "/users?include_totals=true&per_page=1", null));
        assertThat(members.path("total").asInt()).isEqualTo(2);
        JsonNode second = json(call("GET", "api/v2/roles/" + id + "/users?per_page=1&page=1", null));
        // Assigned in one call, the two members may come in either order, one per page.
        assertThat(List.of(members.path("users").get(0), second.get(0)))
                .extracting(u -> u.path("user_id").asText() + " " + u.path("email").asText())
                .containsExactlyInAnyOrder(ada.userId() + " ada.members@example.com",
                        bob.userId() + " bob.members@example.com");
        assertThat(json(call("GET", users(ada, "roles"), null)))
                .extracting(r -> r.path("name").asText()).containsExactly("Members");

        assertThat(call("DELETE", users(ada, "roles"), "{\"roles\":[\"" + id + "\"]}").statusCode()).isEqualTo(204);
        assertThat(json(call("GET", users(ada, "roles"), null))).isEmpty();
        assertThat(json(call("GET", "api/v2/roles/" + id + "/users", null)))
                .extracting(u -> u.path("user_id").asText()).containsExactly(bob.userId());
        // Assigning twice is not an error and holds once.
        assertThat(call("POST", users(bob, "roles"), "{\"roles\":[\"" + id + "\"]}").statusCode()).isEqualTo(204);
        assertThat(json(call("GET", users(bob, "roles"), null))).hasSize(1);
    }

    /** Auth0's checkpoint paging on a role's users, as its SDKs ask: {@code from}, {@code take}, {@code next}. */
    @Test
    void roleUsersPageByCheckpoint() {
        String id = role("Checkpointed");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(TestUsers.create(server, "checkpoint" + i + "@example.com").userId());
        }
        String body = "{\"users\":[\"" + String.join("\",\"", members) + "\"]}";
        assertThat(call("POST", "api/v2/roles/" + id + "/users", body).statusCode()).isEqualTo(200);

        JsonNode first = json(call("GET", "api/v2/roles/" + id + "/users?take=2", null));
        JsonNode last = json(call("GET", "api/v2/roles/" + id + "/users?take=2&from="
                + ManagementCalls.encode(first.path("next").asText()), null));

        assertThat(first.path("users")).hasSize(2);
        assertThat(first.path("users").get(1).path("user_id").asText()).isEqualTo(first.path("next").asText());
        // The last page, not full, has no next.
        assertThat(last.has("next")).isFalse();
        List<String> seen = new ArrayList<>();
        first.path("users").forEach(u -> seen.add(u.path("user_id").asText()));
        last.path("users").forEach(u -> seen.add(u.path("user_id").asText()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(members);
        assertThat(last.path("users").get(0).path("email").asText()).startsWith("checkpoint");

        assertManagementError(call("GET", "api/v2/roles/" + id + "/users?take=0", null), 400, "invalid_query_string");
        assertManagementError(call("GET", "api/v2/roles/" + id + "/users?take=x", null), 400, "invalid_query_string");
        assertManagementError(call("GET", "api/v2/roles/" + id + "/users?from=" + "x".repeat(201), null), 400,
                "invalid_query_string");
    }

    @Test
    void userPermissionsListTheirSources() {
        String id = role("Source role");
        call("POST", "api/v2/roles/" + id + "/permissions", permissions("read:records"));
        User user = TestUsers.create(server, "sources@example.com");
        call("POST", users(user, "roles"), "{\"roles\":[\"" + id + "\"]}");
        assertThat(call("POST", users(user, "permissions"), permissions("read:records", "write:records"))
                .statusCode()).isEqualTo(201);

        JsonNode listed = json(call("GET", users(user, "permissions"), null));
        assertThat(listed).extracting(p -> p.path("permission_name").asText())
                .containsExactly("read:records", "write:records");
        assertThat(listed.get(0).path("sources")).extracting(s -> s.path("source_type").asText())
                .containsExactlyInAnyOrder("DIRECT", "ROLE");
        assertThat(listed.get(0).path("resource_server_name").asText()).isEqualTo("Records");

        // Removing the direct ones leaves what the role gives.
        assertThat(call("DELETE", users(user, "permissions"), permissions("read:records", "write:records"))
                .statusCode()).isEqualTo(204);
        JsonNode left = json(call("GET", users(user, "permissions"), null));
        assertThat(left).hasSize(1);
        assertThat(left.get(0).path("sources").get(0).path("source_id").asText()).isEqualTo(id);
        assertThat(left.get(0).path("sources").get(0).path("source_name").asText()).isEqualTo("Source role");
    }

    @Test
    void unknownRolesAndUsersAre404() {
        String id = role("Known");
        User user = TestUsers.create(server, "known@example.com");
        assertManagementError(call("GET", "api/v2/roles/rol_nope/permissions", null), 404, "inexistent_role");
        assertManagementError(call("POST", "api/v2/roles/rol_nope/users", "{\"users\":[\"" + user.userId() + "\"]}"),
                404, "inexistent_role");
        assertManagementError(call("PATCH", "api/v2/roles/rol_nope", "{\"name\":\"x\"}"), 404, "inexistent_role");
        assertManagementError(call("POST", users(user, "roles"), "{\"roles\":[\"" + id + "\",\"rol_nope\"]}"), 404,
                "inexistent_role");
        assertManagementError(call("POST", "api/v2/roles/" + id + "/users", "{\"users\":[\"auth0|nope\"]}"), 404,
                "inexistent_user");
        assertManagementError(call("GET", "api/v2/users/" + ManagementCalls.encode("auth0|nope") + "/roles", null),
                404, "inexistent_user");
        assertManagementError(call("GET", "api/v2/users/" + ManagementCalls.encode("auth0|nope") + "/permissions",
                null), 404, "inexistent_user");
        // Nothing was assigned by the refused calls.
        assertThat(json(call("GET", users(user, "roles"), null))).isEmpty();
    }

    @Test
    void controlCharactersAreRefusedWith400() {
        String id = role("Clean");
        User user = TestUsers.create(server, "clean@example.com");
        assertManagementError(call("POST", "api/v2/roles", "{\"name\":\"bad\\u0000name\"}"), 400, "invalid_body");
        assertManagementError(call("POST", "api/v2/roles", "{\"name\":\"ok\",\"description\":\"bell\\u0007\"}"), 400,
                "invalid_body");
        assertManagementError(call("PATCH", "api/v2/roles/" + id, "{\"name\":\"tab\\tname\"}"), 400, "invalid_body");
        assertManagementError(call("GET", "api/v2/roles?name_filter=a%00b", null), 400, "invalid_query_string");
        assertManagementError(call("POST", users(user, "roles"), "{\"roles\":[\"rol_\\u0000\"]}"), 400,
                "invalid_body");
        assertManagementError(call("POST", "api/v2/roles/" + id + "/permissions", """
                {"permissions":[{"resource_server_identifier":"%s","permission_name":"read:\\u0000"}]}"""
                .formatted(API)), 400, "invalid_body");
        assertThat(call("GET", "api/v2/roles/rol_%00", null).statusCode()).isIn(400, 404);
        // A description may span lines.
        assertThat(call("POST", "api/v2/roles", "{\"name\":\"Multi\",\"description\":\"one\\ntwo\"}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void assignmentsAreBounded() {
        String id = role("Bounded");
        User user = TestUsers.create(server, "bounded@example.com");
        StringBuilder many = new StringBuilder("{\"roles\":[");
        for (int i = 0; i <= IdList.MAX_ITEMS; i++) {
            many.append(i == 0 ? "" : ",").append("\"rol_").append(i).append('"');
        }
        assertManagementError(call("POST", users(user, "roles"), many.append("]}").toString()), 400, "invalid_body");
        assertManagementError(call("POST", users(user, "roles"), "{\"roles\":[]}"), 400, "invalid_body");
        StringBuilder permissions = new StringBuilder("{\"permissions\":[");
        for (int i = 0; i <= IdList.MAX_ITEMS; i++) {
            permissions.append(i == 0 ? "" : ",").append("{\"resource_server_identifier\":\"").append(API)
                    .append("\",\"permission_name\":\"read:records\"}");
        }
        assertManagementError(call("POST", "api/v2/roles/" + id + "/permissions",
                permissions.append("]}").toString()), 400, "invalid_body");
    }

    @Test
    void deletingAnApiOrAUserTakesTheirAssignmentsAlong() {
        server.createApi("""
                {"identifier":"https://example.com/short-lived","name":"Short","scopes":[{"value":"read:x"}]}""");
        String id = role("Short lived");
        call("POST", "api/v2/roles/" + id + "/permissions", """
                {"permissions":[{"resource_server_identifier":"https://example.com/short-lived",
                 "permission_name":"read:x"}]}""");
        User user = TestUsers.create(server, "gone@example.com");
        call("POST", users(user, "roles"), "{\"roles\":[\"" + id + "\"]}");
        for (JsonNode api : json(call("GET", "api/v2/resource-servers", null))) {
            if (api.path("identifier").asText().equals("https://example.com/short-lived")) {
                assertThat(call("DELETE", "api/v2/resource-servers/" + api.path("id").asText(), null).statusCode())
                        .isEqualTo(204);
            }
        }
        assertThat(json(call("GET", "api/v2/roles/" + id + "/permissions", null))).isEmpty();

        assertThat(call("DELETE", "api/v2/users/" + ManagementCalls.encode(user.userId()), null).statusCode())
                .isEqualTo(204);
        assertThat(json(call("GET", "api/v2/roles/" + id + "/users", null))).isEmpty();
    }

    @Test
    void rbacResourcesNeedAuth0sScopes() {
        String id = role("Scoped");
        String readOnly = ManagementCalls.tokenWithScopes(server, "read:roles");
        assertThat(ManagementCalls.call(server, readOnly, "GET", "api/v2/roles/" + id, null).statusCode())
                .isEqualTo(200);
        assertManagementError(ManagementCalls.call(server, readOnly, "POST", "api/v2/roles", "{\"name\":\"No\"}"),
                403, "insufficient_scope");
        assertManagementError(ManagementCalls.call(server, readOnly, "GET", "api/v2/roles/" + id + "/users", null),
                403, "insufficient_scope");
        String users = ManagementCalls.tokenWithScopes(server, "read:users");
        assertManagementError(ManagementCalls.call(server, users, "DELETE", "api/v2/roles/" + id, null), 403,
                "insufficient_scope");
    }

    // --- helpers ---

    private static HttpResponse<String> call(String method, String path, String body) {
        return server.management(method, path, body);
    }

    private static String role(String name) {
        HttpResponse<String> created = call("POST", "api/v2/roles", "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private static String users(User user, String what) {
        return "api/v2/users/" + ManagementCalls.encode(user.userId()) + "/" + what;
    }

    private static String permissions(String... names) {
        StringBuilder body = new StringBuilder("{\"permissions\":[");
        for (int i = 0; i < names.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"resource_server_identifier\":\"").append(API)
                    .append("\",\"permission_name\":\"").append(names[i]).append("\"}");
        }
        return body.append("]}").toString();
    }
}
