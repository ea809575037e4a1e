package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.server.testing.ManagementCalls.call;
import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.tokenWithScopes;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

class UsersApiTest {

    private static final String PASSWORD = "Str0ng-Passw0rd";
    private static final String ISO_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final String CALLBACK = "https://app.example.com/callback";
    private static TestServer server;
    private static String clientId;
    private static String clientSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        JsonNode client = server.createClient("""
                {"name":"Users App","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String uniqueEmail() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static JsonNode createUser(String email) {
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s"}"""
                .formatted(email, PASSWORD));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    private static String userPath(String userId) {
        return "api/v2/users/" + encode(userId);
    }

    @Test
    void phoneAndAddressAreSetAndReturned() {
        // OIDC Core §5.1, §5.1.1: phone_number in E.164, phone_verified, and an address object.
        HttpResponse<String> created = server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s",
                 "phone_number":"+442071838750","phone_verified":true,
                 "address":{"formatted":"10 Downing St\\nLondon","locality":"London","country":"GB"}}"""
                .formatted(uniqueEmail(), PASSWORD));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode user = json(created);
        assertThat(user.path("phone_number").asText()).isEqualTo("+442071838750");
        assertThat(user.path("phone_verified").asBoolean()).isTrue();
        assertThat(user.path("address").path("formatted").asText()).isEqualTo("10 Downing St\nLondon");
        assertThat(user.path("address").has("region")).isFalse();
        String path = userPath(user.path("user_id").asText());
        assertThat(json(server.management("GET", path, null)).path("address").path("country").asText())
                .isEqualTo("GB");

        // Like an email (Auth0), a new number is unverified unless the request says otherwise.
        JsonNode changed = json(server.management("PATCH", path, """
                {"phone_number":"+14155550100","address":{"locality":"Paris"}}"""));
        assertThat(changed.path("phone_number").asText()).isEqualTo("+14155550100");
        assertThat(changed.path("phone_verified").asBoolean(true)).isFalse();
        assertThat(changed.path("address").toString()).isEqualTo("{\"locality\":\"Paris\"}");
        JsonNode cleared = json(server.management("PATCH", path, "{\"address\":{}}"));
        assertThat(cleared.has("address")).isFalse();
        assertThat(cleared.path("phone_number").asText()).isEqualTo("+14155550100");

        JsonNode plain = createUser(uniqueEmail());
        assertThat(plain.has("phone_number")).isFalse();
        assertThat(plain.has("phone_verified")).isFalse();
        assertThat(plain.has("address")).isFalse();
    }

    @Test
    void invalidPhoneOrAddressIs400() {
        String base = "{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + uniqueEmail()
                + "\",\"password\":\"" + PASSWORD + "\",";
        for (String extra : List.of("\"phone_number\":\"555-0100\"}", "\"phone_verified\":true}",
                "\"address\":{\"planet\":\"Mars\"}}", "\"address\":{\"country\":7}}", "\"address\":\"Main St\"}")) {
            HttpResponse<String> response = server.management("POST", "api/v2/users", base + extra);
            assertThat(response.statusCode()).as(extra + " " + response.body()).isEqualTo(400);
        }
    }

    @Test
    void createsAUserInAuth0Shape() {
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"Jane.Doe@Example.COM",
                 "password":"%s","email_verified":true,"given_name":"Jane","family_name":"Doe",
                 "user_metadata":{"theme":"dark"},"app_metadata":{"plan":"pro","roles":["admin"]}}"""
                .formatted(PASSWORD));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode user = json(response);
        // Auth0: database users are auth0|<id>; emails are unique case-insensitively, stored lowercased.
        assertThat(user.path("user_id").asText()).matches("auth0\\|[0-9a-f]{24}");
        assertThat(user.path("email").asText()).isEqualTo("jane.doe@example.com");
        assertThat(user.path("email_verified").asBoolean()).isTrue();
        assertThat(user.path("name").asText()).isEqualTo("jane.doe@example.com");
        assertThat(user.path("nickname").asText()).isEqualTo("jane.doe");
        assertThat(user.path("given_name").asText()).isEqualTo("Jane");
        assertThat(user.path("family_name").asText()).isEqualTo("Doe");
        assertThat(user.path("picture").asText()).startsWith("https://");
        assertThat(user.path("user_metadata").path("theme").asText()).isEqualTo("dark");
        assertThat(user.path("app_metadata").path("roles").get(0).asText()).isEqualTo("admin");
        JsonNode identity = user.path("identities").get(0);
        assertThat(identity.path("connection").asText()).isEqualTo("Username-Password-Authentication");
        assertThat(identity.path("provider").asText()).isEqualTo("auth0");
        assertThat(identity.path("user_id").asText()).isEqualTo(user.path("user_id").asText().substring(6));
        assertThat(identity.path("isSocial").asBoolean(true)).isFalse();
        assertThat(user.path("created_at").asText()).matches(ISO_MILLIS);
        assertThat(user.path("updated_at").asText()).matches(ISO_MILLIS);
        assertThat(user.has("last_login")).isFalse();
        assertThat(user.path("logins_count").asInt()).isZero();
        assertThat(user.path("blocked").asBoolean(true)).isFalse();
        // Never a password or a hash in an answer.
        assertThat(response.body()).doesNotContain(PASSWORD).doesNotContain("argon2").doesNotContain("password");
    }

    @Test
    void readsUpdatesAndDeletesAUser() {
        String userId = createUser(uniqueEmail()).path("user_id").asText();
        server.management("PATCH", userPath(userId), """
                {"user_metadata":{"a":1,"b":2},"app_metadata":{"x":"y"}}""");

        // Auth0: metadata is merged at the top level; null removes a key.
        HttpResponse<String> patched = server.management("PATCH", userPath(userId), """
                {"name":"New Name","blocked":true,"user_metadata":{"b":null,"c":3}}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode user = json(patched);
        assertThat(user.path("name").asText()).isEqualTo("New Name");
        assertThat(user.path("blocked").asBoolean()).isTrue();
        assertThat(user.path("user_metadata").toString()).isEqualTo("{\"a\":1,\"c\":3}");
        assertThat(user.path("app_metadata").toString()).isEqualTo("{\"x\":\"y\"}");

        JsonNode read = json(server.management("GET", userPath(userId), null));
        assertThat(read.path("name").asText()).isEqualTo("New Name");
        assertThat(read.path("user_metadata").toString()).isEqualTo("{\"a\":1,\"c\":3}");

        assertThat(server.management("DELETE", userPath(userId), null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = server.management("GET", userPath(userId), null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("errorCode").asText()).isEqualTo("inexistent_user");
        assertThat(json(gone).path("message").asText()).isEqualTo("The user does not exist.");
    }

    private static Map<String, String> authorization(String prompt) {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid", "s");
        if (prompt != null) {
            params.put("prompt", prompt);
        }
        return params;
    }

    /** Logs the user in through the code flow (accepting consent) and returns the opaque access token. */
    private static String logIn(Browser browser, String email) {
        browser.authorize(authorization("consent"));
        browser.logIn(email, PASSWORD);
        browser.follow();
        HttpResponse<String> accepted = browser.submit("u/consent", Map.of("action", "accept"));
        String code = Browser.redirectParams(accepted).get("code");
        HttpResponse<String> token = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + code + "&redirect_uri=" + CALLBACK);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token).path("access_token").asText();
    }

    private static int userinfoStatus(String accessToken) {
        return server.send(HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET()).statusCode();
    }

    private static boolean silentLoginWorks(Browser browser) {
        return Browser.redirectParams(browser.authorize(authorization("none"))).containsKey("code");
    }

    private static int rows(String table, String userId) {
        return Jdbi.create(server.latchkey().settings().databaseUrl()).withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM " + table + " WHERE user_id = :id").bind("id", userId).mapTo(Integer.class).one());
    }

    @Test
    void deletingAUserDeletesWhatWasIssuedToThem() {
        String email = uniqueEmail();
        String userId = createUser(email).path("user_id").asText();
        Browser browser = new Browser(server);
        String accessToken = logIn(browser, email);
        // A login transaction waiting on the consent page, and a code not yet exchanged. The code and the opaque
        // access token are sealed: they are not stored, and stand only while their authorization does.
        browser.authorize(authorization("consent"));
        String code = Browser.redirectParams(browser.authorize(authorization(null))).get("code");
        List<String> tables = List.of("sso_sessions", "user_grants", "login_transactions");
        for (String table : tables) {
            assertThat(rows(table, userId)).as(table).isPositive();
        }
        assertThat(liveAuthorizations(userId)).isPositive();

        assertThat(server.management("DELETE", userPath(userId), null).statusCode()).isEqualTo(204);
        for (String table : tables) {
            assertThat(rows(table, userId)).as(table).isZero();
        }
        assertThat(liveAuthorizations(userId)).isZero();
        assertThat(userinfoStatus(accessToken)).isEqualTo(401);
        HttpResponse<String> exchange = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + code + "&redirect_uri=" + CALLBACK);
        assertThat(exchange.statusCode()).isEqualTo(400);
    }

    private static int liveAuthorizations(String userId) {
        return Jdbi.create(server.latchkey().settings().databaseUrl()).withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM authorizations WHERE user_id = :id AND revoked_at IS NULL")
                .bind("id", userId).mapTo(Integer.class).one());
    }

    @Test
    void blockingAUserEndsTheirSessionsAndOpaqueTokens() {
        // OWASP Session Management: a blocked account keeps nothing, even once unblocked.
        String email = uniqueEmail();
        String userId = createUser(email).path("user_id").asText();
        Browser browser = new Browser(server);
        String accessToken = logIn(browser, email);
        assertThat(userinfoStatus(accessToken)).isEqualTo(200);
        assertThat(silentLoginWorks(browser)).isTrue();

        assertThat(server.management("PATCH", userPath(userId), "{\"blocked\":true}").statusCode()).isEqualTo(200);
        assertThat(server.management("PATCH", userPath(userId), "{\"blocked\":false}").statusCode()).isEqualTo(200);
        assertThat(userinfoStatus(accessToken)).isEqualTo(401);
        assertThat(silentLoginWorks(browser)).isFalse();
    }

    @Test
    void changingThePasswordEndsTheSessionsAndOpaqueTokens() {
        String email = uniqueEmail();
        String userId = createUser(email).path("user_id").asText();
        Browser browser = new Browser(server);
        String accessToken = logIn(browser, email);
        // Other changes leave them alone.
        assertThat(server.management("PATCH", userPath(userId), "{\"name\":\"Renamed\"}").statusCode())
                .isEqualTo(200);
        assertThat(userinfoStatus(accessToken)).isEqualTo(200);
        assertThat(silentLoginWorks(browser)).isTrue();

        HttpResponse<String> changed = server.management("PATCH", userPath(userId),
                "{\"password\":\"An0ther-Str0ng-One\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(userinfoStatus(accessToken)).isEqualTo(401);
        assertThat(silentLoginWorks(browser)).isFalse();
    }

    @Test
    void changingTheEmailMakesItUnverifiedAndKeepsItUnique() {
        String taken = uniqueEmail();
        createUser(taken);
        String userId = json(server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s","email_verified":true}"""
                .formatted(uniqueEmail(), PASSWORD))).path("user_id").asText();

        String fresh = uniqueEmail();
        JsonNode changed = json(server.management("PATCH", userPath(userId), "{\"email\":\"" + fresh.toUpperCase() + "\"}"));
        assertThat(changed.path("email").asText()).isEqualTo(fresh);
        assertThat(changed.path("email_verified").asBoolean(true)).isFalse();

        HttpResponse<String> clash = server.management("PATCH", userPath(userId), "{\"email\":\"" + taken + "\"}");
        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(json(clash).path("message").asText()).isEqualTo("The user already exists.");
    }

    @Test
    void refusesADuplicateEmailWhateverItsCase() {
        String email = uniqueEmail();
        createUser(email);
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s"}"""
                .formatted(email.toUpperCase(), PASSWORD));

        // Auth0: 409 "The user already exists."
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).path("message").asText()).isEqualTo("The user already exists.");
        assertThat(json(response).path("error").asText()).isEqualTo("Conflict");
    }

    @Test
    void refusesWeakPasswordsWithAuth0sMessage() {
        for (String weak : List.of("Sh0rt!", "alllowercase", "alllowercase1", "ALLUPPER1", "12345678901")) {
            HttpResponse<String> response = server.management("POST", "api/v2/users", """
                    {"connection":"Username-Password-Authentication","email":"%s","password":"%s"}"""
                    .formatted(uniqueEmail(), weak));
            assertThat(response.statusCode()).as(weak).isEqualTo(400);
            assertThat(json(response).path("message").asText()).as(weak)
                    .isEqualTo("PasswordStrengthError: Password is too weak");
        }
        HttpResponse<String> tooLong = server.management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s"}"""
                .formatted(uniqueEmail(), "Aa1-".repeat(40)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).path("message").asText()).startsWith("PasswordStrengthError:");

        String userId = createUser(uniqueEmail()).path("user_id").asText();
        HttpResponse<String> weakChange = server.management("PATCH", userPath(userId), "{\"password\":\"password\"}");
        assertThat(weakChange.statusCode()).isEqualTo(400);
        assertThat(json(weakChange).path("message").asText()).isEqualTo("PasswordStrengthError: Password is too weak");
    }

    @Test
    void refusesAnUnknownConnection() {
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"No-Such-Connection","email":"%s","password":"%s"}""".formatted(uniqueEmail(), PASSWORD));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("message").asText()).isEqualTo("The connection does not exist.");
        assertThat(json(response).path("errorCode").asText()).isEqualTo("inexistent_connection");
    }

    @Test
    void refusesBadPayloadsNamingTheProblem() {
        String email = uniqueEmail();
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":5,\"password\":\"" + PASSWORD + "\"}", "email"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"email_verified\":\"yes\"}", "email_verified"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"user_metadata\":\"x\"}", "user_metadata"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"favourite\":1}", "favourite"});
        cases.add(new String[]{"{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", "connection"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"password\":\"" + PASSWORD + "\"}", "email"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\"}", "password"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"not-an-email\",\"password\":\"" + PASSWORD + "\"}", "email"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\",\"password_hash\":\"$1$md5crypt\"}", "password_hash"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"password_hash\":\"$2b$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234\"}", "password"});
        cases.add(new String[]{"{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"picture\":\"javascript:alert(1)\"}", "picture"});
        cases.add(new String[]{"[1,2]", "object"});
        cases.add(new String[]{"{not json", "JSON"});
        for (String[] c : cases) {
            HttpResponse<String> response = server.management("POST", "api/v2/users", c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(json(response).path("message").asText()).as(c[0]).contains(c[1]);
            assertThat(json(response).path("statusCode").asInt()).isEqualTo(400);
        }
        assertThat(json(server.management("GET", "api/v2/users-by-email?email=" + encode(email), null))).isEmpty();
    }

    @Test
    void pagesInAuth0sShape() {
        String tag = "pager" + UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(json(server.management("POST", "api/v2/users", """
                    {"connection":"Username-Password-Authentication","email":"%s","password":"%s","name":"%s %d"}"""
                    .formatted(uniqueEmail(), PASSWORD, tag, i))).path("user_id").asText());
        }
        String query = "api/v2/users?search_engine=v3&q=" + encode("name:" + tag + "*");

        JsonNode first = json(server.management("GET", query + "&per_page=2&page=0&include_totals=true", null));
        assertThat(first.path("start").asInt()).isZero();
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(first.path("length").asInt()).isEqualTo(2);
        assertThat(first.path("total").asInt()).isEqualTo(5);
        List<String> seen = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode users = json(server.management("GET", query + "&per_page=2&page=" + page, null));
            assertThat(users.isArray()).isTrue();
            if (users.isEmpty()) {
                break;
            }
            users.forEach(u -> seen.add(u.path("user_id").asText()));
        }
        // Default order: creation time; pages are exact, no user twice or missing.
        assertThat(seen).containsExactlyElementsOf(ids);

        JsonNode sorted = json(server.management("GET", query + "&sort=" + encode("name:-1"), null));
        assertThat(sorted.get(0).path("name").asText()).isEqualTo(tag + " 4");

        JsonNode all = json(server.management("GET", "api/v2/users?include_totals=true&per_page=100", null));
        assertThat(all.path("total").asInt()).isGreaterThanOrEqualTo(5);

        JsonNode only = json(server.management("GET", query + "&fields=user_id,email&include_fields=true", null));
        assertThat(only.get(0).size()).isEqualTo(2);
    }

    @Test
    void findsUsersByEmailAndUserId() {
        String email = uniqueEmail();
        JsonNode created = createUser(email);
        String userId = created.path("user_id").asText();

        for (String q : List.of("email:\"" + email.toUpperCase() + "\"", "email:" + email,
                "user_id:\"" + userId + "\"", "email:\"" + email + "\" AND user_id:\"" + userId + "\"")) {
            HttpResponse<String> response = server.management("GET", "api/v2/users?search_engine=v3&q=" + encode(q), null);
            assertThat(response.statusCode()).as(q + " " + response.body()).isEqualTo(200);
            JsonNode users = json(response);
            assertThat(users).as(q).hasSize(1);
            assertThat(users.get(0).path("user_id").asText()).isEqualTo(userId);
        }
        assertThat(json(server.management("GET", "api/v2/users?q=" + encode("email:\"nobody-" + email + "\""), null)))
                .isEmpty();

        JsonNode byEmail = json(server.management("GET", "api/v2/users-by-email?email=" + encode(email.toUpperCase()), null));
        assertThat(byEmail).hasSize(1);
        assertThat(byEmail.get(0).path("user_id").asText()).isEqualTo(userId);
    }

    @Test
    void refusesQueriesItCannotAnswer() {
        for (String q : List.of("favourite_color:blue", "(email:a", "email:\"unterminated", "email:a*b",
                "blocked:maybe")) {
            HttpResponse<String> response = server.management("GET", "api/v2/users?q=" + encode(q), null);
            assertThat(response.statusCode()).as(q).isEqualTo(400);
            assertThat(json(response).path("errorCode").asText()).as(q).isEqualTo("invalid_query_string");
        }
        assertThat(server.management("GET", "api/v2/users?search_engine=v1", null).statusCode()).isEqualTo(400);
        assertThat(server.management("GET", "api/v2/users?per_page=101", null).statusCode()).isEqualTo(400);
        assertThat(server.management("GET", "api/v2/users?sort=password:1", null).statusCode()).isEqualTo(400);
        assertThat(server.management("GET", "api/v2/users-by-email", null).statusCode()).isEqualTo(400);
    }

    @Test
    void refusesAnEmptyQuotedValueAsItRefusesAnEmptyBareOne() {
        // SearchQueryFuzzTest found email:"" taken as a search for an empty email while email: is refused.
        for (String q : List.of("email:\"\"", "name:jo* AND user_id:\"\"")) {
            HttpResponse<String> response = server.management("GET", "api/v2/users?q=" + encode(q), null);
            assertThat(response.statusCode()).as(q).isEqualTo(400);
            assertThat(json(response).path("errorCode").asText()).as(q).isEqualTo("invalid_query_string");
        }
        HttpResponse<String> logs = server.management("GET", "api/v2/logs?q=" + encode("type:\"\""), null);
        assertThat(logs.statusCode()).isEqualTo(400);
    }

    @Test
    void checksScopesPerOperation() {
        String reader = tokenWithScopes(server, "read:users");
        String userId = createUser(uniqueEmail()).path("user_id").asText();

        assertThat(call(server, reader, "GET", userPath(userId), null).statusCode()).isEqualTo(200);
        assertThat(call(server, reader, "GET", "api/v2/users", null).statusCode()).isEqualTo(200);
        for (String[] c : new String[][]{
                {"POST", "api/v2/users", "{\"connection\":\"Username-Password-Authentication\",\"email\":\"" + uniqueEmail() + "\",\"password\":\"" + PASSWORD + "\"}"},
                {"PATCH", userPath(userId), "{\"name\":\"x\"}"},
                {"DELETE", userPath(userId), null},
                {"DELETE", "api/v2/user-blocks/" + encode(userId), null},
                {"GET", "api/v2/connections", null},
                {"GET", "api/v2/logs", null}}) {
            HttpResponse<String> response = call(server, reader, c[0], c[1], c[2]);
            assertThat(response.statusCode()).as(c[0] + " " + c[1]).isEqualTo(403);
            assertThat(json(response).path("errorCode").asText()).isEqualTo("insufficient_scope");
        }

        // Auth0: update:users_app_metadata alone may change app_metadata, nothing else.
        String appMetadataOnly = tokenWithScopes(server, "update:users_app_metadata");
        HttpResponse<String> allowed = call(server, appMetadataOnly, "PATCH", userPath(userId), "{\"app_metadata\":{\"tier\":2}}");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(json(allowed).path("app_metadata").path("tier").asInt()).isEqualTo(2);
        HttpResponse<String> refused = call(server, appMetadataOnly, "PATCH", userPath(userId), "{\"name\":\"x\",\"app_metadata\":{}}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).path("errorCode").asText()).isEqualTo("insufficient_scope");

        assertThat(call(server, "not-a-token", "GET", "api/v2/users", null).statusCode()).isEqualTo(401);
    }

    @Test
    void listsTheDefaultDatabaseConnection() {
        HttpResponse<String> response = server.management("GET", "api/v2/connections", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode connection = json(response).get(0);
        assertThat(connection.path("id").asText()).startsWith("con_");
        assertThat(connection.path("name").asText()).isEqualTo("Username-Password-Authentication");
        assertThat(connection.path("strategy").asText()).isEqualTo("auth0");
        assertThat(connection.path("display_name").asText()).isEqualTo("Username-Password-Authentication");
        assertThat(connection.path("enabled_clients").isArray()).isTrue();
        assertThat(connection.path("realms").get(0).asText()).isEqualTo("Username-Password-Authentication");
        assertThat(connection.path("options").isObject()).isTrue();

        JsonNode totals = json(server.management("GET", "api/v2/connections?include_totals=true&strategy=auth0", null));
        assertThat(totals.path("total").asInt()).isEqualTo(1);
        assertThat(totals.path("connections")).hasSize(1);
        assertThat(json(server.management("GET", "api/v2/connections/" + connection.path("id").asText(), null))
                .path("name").asText()).isEqualTo("Username-Password-Authentication");
        assertThat(server.management("GET", "api/v2/connections/con_nope", null).statusCode()).isEqualTo(404);
    }
}
