package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.LoginResult;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Auth0's {@code /api/v2/stats}: active users over 30 days and per-day logins and signups. */
class StatsApiTest {

    static final MovableClock CLOCK = MovableClock.startingNow();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void activeUsersAndDailyFiguresCountLoginsAndSignups() {
        LocalDate firstDay = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        TestUsers.create(server, "stats-old@example.com");
        logIn("stats-old@example.com");
        // 40 days later: a new user logs in twice; the first user's login is now outside the 30 days.
        CLOCK.advance(Duration.ofDays(40));
        LocalDate lastDay = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        TestUsers.create(server, "stats-new@example.com");
        logIn("stats-new@example.com");
        logIn("stats-new@example.com");

        HttpResponse<String> active = server.management("GET", "api/v2/stats/active-users", null);
        assertThat(active.statusCode()).as(active.body()).isEqualTo(200);
        assertThat(active.body()).isEqualTo("1");

        String range = "?from=" + day(firstDay) + "&to=" + day(lastDay);
        HttpResponse<String> first = server.management("GET", "api/v2/stats/daily" + range, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode daily = ManagementCalls.eventually(() -> json(server.management("GET", "api/v2/stats/daily" + range,
                null)), days -> days.path(40).path("logins").asLong() == 2);
        assertThat(daily).hasSize(41);
        assertThat(daily.get(0).path("date").asText()).isEqualTo(firstDay + "T00:00:00.000Z");
        assertThat(daily.get(0).path("signups").asLong()).isEqualTo(1);
        assertThat(daily.get(0).path("logins").asLong()).isEqualTo(1);
        assertThat(daily.get(1).path("logins").asLong()).isZero();
        assertThat(daily.get(40).path("signups").asLong()).isEqualTo(1);
        assertThat(daily.get(40).has("leaked_passwords")).isTrue();
    }

    @Test
    void badRangesAnswerAuth0sValidationError() {
        for (String query : new String[] {"?from=2026-01-01", "?to=20261301", "?from=20260201&to=20260101",
                "?from=20200101&to=20260101", "?from=%00"}) {
            HttpResponse<String> response = server.management("GET", "api/v2/stats/daily" + query, null);
            assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).path("errorCode").asText()).isEqualTo("invalid_query_string");
        }
        // read:stats is needed.
        String token = ManagementCalls.tokenWithScopes(server, "read:users");
        assertThat(ManagementCalls.call(server, token, "GET", "api/v2/stats/active-users", null).statusCode())
                .isEqualTo(403);
    }

    private static void logIn(String email) {
        assertThat(server.latchkey().users().login(UserDirectory.DEFAULT_CONNECTION, email, TestUsers.PASSWORD,
                "192.0.2.1")).isInstanceOf(LoginResult.Success.class);
    }

    private static String day(LocalDate date) {
        return date.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
