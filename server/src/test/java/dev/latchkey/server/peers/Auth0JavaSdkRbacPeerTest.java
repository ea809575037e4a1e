package dev.latchkey.server.peers;

import com.auth0.client.auth.AuthAPI;
import com.auth0.client.mgmt.ManagementApi;
import com.auth0.client.mgmt.roles.types.AddRolePermissionsRequestContent;
import com.auth0.client.mgmt.roles.types.AssignRoleUsersRequestContent;
import com.auth0.client.mgmt.roles.types.DeleteRolePermissionsRequestContent;
import com.auth0.client.mgmt.roles.types.ListRolePermissionsRequestParameters;
import com.auth0.client.mgmt.roles.types.ListRoleUsersRequestParameters;
import com.auth0.client.mgmt.types.CreateRoleRequestContent;
import com.auth0.client.mgmt.types.CreateRoleResponseContent;
import com.auth0.client.mgmt.types.PermissionRequestPayload;
import com.auth0.client.mgmt.types.PermissionsResponsePayload;
import com.auth0.client.mgmt.types.Role;
import com.auth0.client.mgmt.types.RoleUser;
import com.auth0.client.mgmt.types.UserPermissionSchema;
import com.auth0.client.mgmt.users.types.AssignUserRolesRequestContent;
import com.auth0.client.mgmt.users.types.DeleteUserRolesRequestContent;
import com.auth0.client.mgmt.users.types.ListUserPermissionsRequestParameters;
import com.auth0.client.mgmt.users.types.ListUserRolesRequestParameters;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Auth0 Java SDK ({@code com.auth0:auth0}) {@code ManagementApi} on roles and permissions (Auth0
 * RBAC, §2.2): it creates roles, gives them an API's permissions, assigns them to users (from the user's
 * side and from the role's), pages through a user's roles and permissions, a role's permissions (offset
 * paging) and a role's users (checkpoint paging), and takes roles and permissions away again, reading
 * Auth0's shapes back each time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Auth0JavaSdkRbacPeerTest {

    private static final String HEALTH = "https://health.example/api";

    private TestServer server;
    private final List<HttpUrl> requests = Collections.synchronizedList(new ArrayList<>());
    private ManagementApi management;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Health","enforce_policies":true,"token_dialect":"access_token_authz",
                 "scopes":[{"value":"read:patients","description":"Read patient records"},
                 {"value":"write:patients","description":"Change patient records"},
                 {"value":"read:admin","description":"Read the admin console"}]}""".formatted(HEALTH));
        String httpBase = "http://127.0.0.1:" + server.latchkey().port();
        String token = AuthAPI.newBuilder(httpBase, server.bootstrapClientId(), server.bootstrapClientSecret())
                .build().requestToken(server.managementAudience()).execute().getBody().getAccessToken();
        OkHttpClient recording = new OkHttpClient.Builder().addInterceptor(chain -> {
            requests.add(chain.request().url());
            return chain.proceed(chain.request());
        }).build();
        management = ManagementApi.builder().url(httpBase + "/api/v2").token(token).httpClient(recording).build();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void rolesGiveAUserTheirPermissionsUntilTakenAway() {
        String doctor = role("Doctor", "Sees and treats patients", "read:patients", "write:patients");
        String nurse = role("Nurse", "Sees patients", "read:patients");
        String admin = role("Admin", "Runs the ward", "read:admin");
        User user = TestUsers.create(server, "sdk-rbac@example.com");

        management.users().roles().assign(user.userId(),
                AssignUserRolesRequestContent.builder().roles(List.of(doctor, nurse, admin)).build());

        requests.clear();
        List<Role> roles = list(management.users().roles().list(user.userId(),
                ListUserRolesRequestParameters.builder().perPage(2).includeTotals(true).build()));
        assertThat(roles).extracting(r -> r.getId().orElseThrow()).containsExactly(doctor, nurse, admin);
        assertThat(roles.get(0).getName()).contains("Doctor");
        assertThat(roles.get(0).getDescription()).contains("Sees and treats patients");
        assertPagedBy(2);

        requests.clear();
        List<UserPermissionSchema> permissions = list(management.users().permissions().list(user.userId(),
                ListUserPermissionsRequestParameters.builder().perPage(2).includeTotals(true).build()));
        // Auth0 §2.2: what the user holds for the API, each permission once whatever the roles giving it.
        assertThat(permissions).extracting(p -> p.getPermissionName().orElseThrow())
                .containsExactly("read:admin", "read:patients", "write:patients");
        assertThat(permissions).allSatisfy(p -> {
            assertThat(p.getResourceServerIdentifier()).contains(HEALTH);
            assertThat(p.getResourceServerName()).contains("Health");
        });
        assertThat(permissions.get(1).getDescription()).contains("Read patient records");
        assertPagedBy(2);

        management.users().roles().delete(user.userId(),
                DeleteUserRolesRequestContent.builder().roles(List.of(admin, nurse)).build());
        management.roles().permissions().delete(doctor, DeleteRolePermissionsRequestContent.builder()
                .permissions(List.of(permission("write:patients"))).build());

        assertThat(list(management.users().roles().list(user.userId())))
                .extracting(r -> r.getId().orElseThrow()).containsExactly(doctor);
        assertThat(list(management.users().permissions().list(user.userId())))
                .extracting(p -> p.getPermissionName().orElseThrow()).containsExactly("read:patients");
    }

    @Test
    void aRolesPermissionsAndUsersArePaged() {
        String ward = role("Ward", null, "read:patients", "write:patients", "read:admin");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(TestUsers.create(server, "ward" + i + "@example.com").userId());
        }

        management.roles().users().assign(ward, AssignRoleUsersRequestContent.builder().users(members).build());

        requests.clear();
        List<PermissionsResponsePayload> permissions = list(management.roles().permissions().list(ward,
                ListRolePermissionsRequestParameters.builder().perPage(2).includeTotals(true).build()));
        assertThat(permissions).extracting(p -> p.getPermissionName().orElseThrow())
                .containsExactlyInAnyOrder("read:patients", "write:patients", "read:admin");
        assertThat(permissions).allSatisfy(p -> {
            assertThat(p.getResourceServerIdentifier()).contains(HEALTH);
            assertThat(p.getResourceServerName()).contains("Health");
        });
        assertPagedBy(2);

        // Auth0's checkpoint paging (from, take): the SDK follows next until a page comes without one.
        requests.clear();
        List<RoleUser> users = list(management.roles().users().list(ward,
                ListRoleUsersRequestParameters.builder().take(2).build()));
        assertThat(users).extracting(u -> u.getUserId().orElseThrow()).containsExactlyInAnyOrderElementsOf(members);
        assertThat(users).allSatisfy(u -> {
            assertThat(u.getEmail().orElseThrow()).startsWith("ward").endsWith("@example.com");
            assertThat(u.getName()).isPresent();
            assertThat(u.getPicture()).isPresent();
        });
        assertThat(requests).hasSize(2).allSatisfy(url -> assertThat(url.queryParameter("take")).isEqualTo("2"));
        assertThat(requests.get(0).queryParameter("from")).isNull();
        assertThat(requests.get(1).queryParameter("from")).isNotEmpty();
    }

    private String role(String name, String description, String... scopes) {
        CreateRoleResponseContent created = management.roles().create(description == null
                ? CreateRoleRequestContent.builder().name(name).build()
                : CreateRoleRequestContent.builder().name(name).description(description).build());
        assertThat(created.getName()).contains(name);
        String id = created.getId().orElseThrow();
        List<PermissionRequestPayload> permissions = new ArrayList<>();
        for (String scope : scopes) {
            permissions.add(permission(scope));
        }
        management.roles().permissions().add(id, AddRolePermissionsRequestContent.builder()
                .permissions(permissions).build());
        return id;
    }

    private static PermissionRequestPayload permission(String name) {
        return PermissionRequestPayload.builder().resourceServerIdentifier(HEALTH).permissionName(name).build();
    }

    private static <T> List<T> list(Iterable<T> pages) {
        return StreamSupport.stream(pages.spliterator(), false).toList();
    }

    /** Every page asked for {@code perPage} items with totals, page 0, 1, ... in turn. */
    private void assertPagedBy(int perPage) {
        assertThat(requests).isNotEmpty();
        for (int i = 0; i < requests.size(); i++) {
            HttpUrl url = requests.get(i);
            assertThat(url.queryParameter("page")).isEqualTo(Integer.toString(i));
            assertThat(url.queryParameter("per_page")).isEqualTo(Integer.toString(perPage));
            assertThat(url.queryParameter("include_totals")).isEqualTo("true");
        }
    }
}
