package dev.latchkey.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.audit.LogEntry;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.ExpiredRowSweeper;
import dev.latchkey.server.store.JdbcLogStore;
import dev.latchkey.server.store.JdbcLoginFailureStore;
import dev.latchkey.server.store.PostgresSchema;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users, brute-force counters and log statements on a real PostgreSQL (they are written in the
 * SQL H2 and PostgreSQL share), in a fresh schema of the local server.
 */
class PostgresIdentityTest {

    @Test
    void usersLoginsBlocksAndLogsWorkOnPostgres() {
        try (PostgresSchema schema = PostgresSchema.create();
             TestServer server = TestServer.start(s -> new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(),
                schema.url(), PostgresSchema.USER, null, s.masterKey(), s.bootstrapClientId(),
                s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(), s.metricsToken()))) {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String email = "pg" + tag + "@example.com";
            HttpResponse<String> created = server.management("POST", "api/v2/users", """
                    {"connection":"Username-Password-Authentication","email":"%s","password":"Str0ng-Passw0rd",
                     "name":"pg %s","user_metadata":{"n":1},"phone_number":"+33142868200",
                     "address":{"locality":"Paris","country":"FR"}}""".formatted(email, tag));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String userId = json(created).path("user_id").asText();
            // V8's columns on PostgreSQL.
            JsonNode read = json(server.management("GET", "api/v2/users/" + encode(userId), null));
            assertThat(read.path("phone_number").asText()).isEqualTo("+33142868200");
            assertThat(read.path("phone_verified").asBoolean(true)).isFalse();
            assertThat(read.path("address").path("locality").asText()).isEqualTo("Paris");
            assertThat(server.management("POST", "api/v2/users", """
                    {"connection":"Username-Password-Authentication","email":"%s","password":"Str0ng-Passw0rd"}"""
                    .formatted(email.toUpperCase())).statusCode()).isEqualTo(409);

            JsonNode found = json(server.management("GET", "api/v2/users?include_totals=true&sort=" + encode("last_login:-1")
                    + "&q=" + encode("name:pg\\ " + tag + "* AND email_verified:false AND email:\"" + email + "\""), null));
            assertThat(found.path("total").asInt()).as(found.toString()).isEqualTo(1);

            UserDirectory users = server.latchkey().users();
            String ip = "198.51.100." + (Math.abs(tag.hashCode()) % 250);
            for (int i = 0; i < 10; i++) {
                users.login(UserDirectory.DEFAULT_CONNECTION, email, "Wrong-Passw0rd", ip);
            }
            assertThat(users.login(UserDirectory.DEFAULT_CONNECTION, email, "Str0ng-Passw0rd", ip))
                    .isInstanceOf(LoginResult.TooManyAttempts.class);
            assertThat(json(server.management("GET", "api/v2/user-blocks/" + encode(userId), null))
                    .path("blocked_for")).hasSize(1);
            server.management("DELETE", "api/v2/user-blocks/" + encode(userId), null);
            assertThat(users.login(UserDirectory.DEFAULT_CONNECTION, email, "Str0ng-Passw0rd", ip))
                    .isInstanceOf(LoginResult.Success.class);

            JsonNode logs = eventually(() -> json(server.management("GET", "api/v2/logs?include_totals=true&q="
                    + encode("user_id:\"" + userId + "\""), null)), l -> l.path("total").asInt() >= 12);
            assertThat(logs.path("total").asInt()).isEqualTo(12); // 10 fp, 1 limit_wc, 1 s

            // A browser login (a login transaction counted per network), then a block ends the session and
            // the deletion removes what the user was issued.
            String clientId = server.createClient("""
                    {"name":"PG app","app_type":"regular_web","callbacks":["https://app.example.com/cb"]}""")
                    .path("client_id").asText();
            Browser browser = new Browser(server);
            browser.authorize(Map.of("response_type", "code", "client_id", clientId,
                    "redirect_uri", "https://app.example.com/cb", "scope", "openid"));
            assertThat(Browser.redirectParams(browser.logIn(email, "Str0ng-Passw0rd"))).containsKey("code");
            assertThat(server.management("PATCH", "api/v2/users/" + encode(userId), "{\"blocked\":true}")
                    .statusCode()).isEqualTo(200);
            assertThat(server.management("DELETE", "api/v2/users/" + encode(userId), null).statusCode()).isEqualTo(204);

            // The sweeper's statements, on rows that expired an hour ago.
            Database database = Database.open(schema.url(), PostgresSchema.USER, null);
            try (database) {
                var failures = new JdbcLoginFailureStore(database.jdbi());
                var logStore = new JdbcLogStore(database.jdbi());
                Instant past = Instant.now().minusSeconds(7200);
                failures.recordPairFailure("expired-" + tag, "192.0.2.9", 10, past, past.plusSeconds(3600));
                failures.recordIpFailure("192.0.2." + tag.hashCode() % 200, past, past.plusSeconds(3600));
                failures.recordAccountFailure("expired-" + tag, past, past.plusSeconds(3600));
                failures.recordAccountFailure("expired-" + tag, past, past.plusSeconds(3600));
                assertThat(failures.account("expired-" + tag)).map(a -> a.failures()).contains(2);
                logStore.insert(List.of(new LogEntry("0000000000000000001" + tag, past,
                        new LogEvent("s", "old", null, null, null, null, null, null, Map.of()), past.plusSeconds(3600))));
                new ExpiredRowSweeper(List.of(failures::deleteExpired, logStore::deleteExpired), Clock.systemUTC()).run();
                assertThat(failures.pair("expired-" + tag, "192.0.2.9")).isEmpty();
                assertThat(failures.account("expired-" + tag)).isEmpty();
                assertThat(logStore.findById("0000000000000000001" + tag)).isEmpty();
            }
        }
    }
}
