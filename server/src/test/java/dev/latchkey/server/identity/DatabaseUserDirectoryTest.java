package dev.latchkey.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.http.AddressRanges;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUserDirectoryTest {

    private static final String CONNECTION = UserDirectory.DEFAULT_CONNECTION;
    private static final String PASSWORD = "Str0ng-Passw0rd";
    private static TestServer server;
    private static UserDirectory users;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        users = server.latchkey().users();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String uniqueEmail() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** A fresh IP per test, so brute-force counters never leak between tests. */
    private static String uniqueIp() {
        int n = Math.abs(UUID.randomUUID().hashCode());
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static String createUser(String email, String password) {
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"%s","email":"%s","password":"%s"}""".formatted(CONNECTION, email, password));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("user_id").asText();
    }

    private static String storedHash(String userId) {
        return Jdbi.create(server.latchkey().settings().databaseUrl()).withHandle(h -> h.createQuery(
                "SELECT password_hash FROM users WHERE user_id = :id").bind("id", userId).mapTo(String.class).one());
    }

    private static JsonNode logs(String q) {
        return json(server.management("GET", "api/v2/logs?q=" + encode(q), null));
    }

    @Test
    void logsInWithTheRightPasswordAndCountsTheLogin() {
        String email = uniqueEmail();
        String userId = createUser(email, PASSWORD);

        LoginResult result = users.login(CONNECTION, email.toUpperCase(), PASSWORD, uniqueIp());

        assertThat(result).isInstanceOf(LoginResult.Success.class);
        User user = ((LoginResult.Success) result).user();
        assertThat(user.userId()).isEqualTo(userId);
        assertThat(user.loginsCount()).isEqualTo(1);
        assertThat(user.lastLogin()).isNotNull();
        JsonNode viaApi = json(server.management("GET", "api/v2/users/" + encode(userId), null));
        assertThat(viaApi.path("logins_count").asInt()).isEqualTo(1);
        assertThat(viaApi.path("last_login").asText()).matches("\\d{4}-.*\\.\\d{3}Z");
        assertThat(users.findById(userId)).map(User::loginsCount).contains(1);
        assertThat(users.findByEmail(CONNECTION, email.toUpperCase())).map(User::userId).contains(userId);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        String email = uniqueEmail();
        createUser(email, PASSWORD);
        String ip = uniqueIp();

        assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd", ip)).isEqualTo(new LoginResult.WrongCredentials());
        assertThat(users.login(CONNECTION, "nobody-" + email, PASSWORD, ip)).isEqualTo(new LoginResult.WrongCredentials());
        assertThat(users.login(CONNECTION, "", "", ip)).isEqualTo(new LoginResult.WrongCredentials());
        assertThat(users.login("Other-Connection", email, PASSWORD, ip)).isEqualTo(new LoginResult.WrongCredentials());
    }

    @Test
    void aBlockedUserIsToldSoOnlyWithTheRightPassword() {
        String email = uniqueEmail();
        String userId = createUser(email, PASSWORD);
        server.management("PATCH", "api/v2/users/" + encode(userId), "{\"blocked\":true}");
        String ip = uniqueIp();

        assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.WrongCredentials.class);
        assertThat(users.login(CONNECTION, email, PASSWORD, ip)).isInstanceOf(LoginResult.UserBlocked.class);

        server.management("PATCH", "api/v2/users/" + encode(userId), "{\"blocked\":false}");
        assertThat(users.login(CONNECTION, email, PASSWORD, ip)).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void anImportedBcryptHashIsReplacedByArgon2idAtTheNextLogin() {
        String email = uniqueEmail();
        String bcrypt = OpenBSDBCrypt.generate("2b", "Imp0rted-Secret".toCharArray(),
                "abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII), 6);
        HttpResponse<String> created = server.management("POST", "api/v2/users", """
                {"connection":"%s","email":"%s","password_hash":"%s","email_verified":true}"""
                .formatted(CONNECTION, email, bcrypt));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(bcrypt);
        String userId = json(created).path("user_id").asText();
        assertThat(storedHash(userId)).isEqualTo(bcrypt);
        String ip = uniqueIp();

        assertThat(users.login(CONNECTION, email, "imp0rted-secret", ip)).isInstanceOf(LoginResult.WrongCredentials.class);
        assertThat(storedHash(userId)).isEqualTo(bcrypt);
        assertThat(users.login(CONNECTION, email, "Imp0rted-Secret", ip)).isInstanceOf(LoginResult.Success.class);

        assertThat(storedHash(userId)).startsWith("$argon2id$v=19$m=256,t=1,p=1$");
        assertThat(users.login(CONNECTION, email, "Imp0rted-Secret", ip)).isInstanceOf(LoginResult.Success.class);
        assertThat(users.login(CONNECTION, email, "Imp0rted-Secret!", ip)).isInstanceOf(LoginResult.WrongCredentials.class);
    }

    @Test
    void refusesAnImportedBcryptHashTooCostlyToVerify() {
        String bcrypt = "$2b$17$" + "abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234";
        HttpResponse<String> response = server.management("POST", "api/v2/users", """
                {"connection":"%s","email":"%s","password_hash":"%s"}""".formatted(CONNECTION, uniqueEmail(), bcrypt));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("message").asText()).contains("cost");
    }

    @Test
    void tenFailuresFromOneIpBlockThatPairUntilUnblocked() {
        String email = uniqueEmail();
        String userId = createUser(email, PASSWORD);
        String ip = uniqueIp();

        // Auth0 brute-force protection: 10 failed attempts for one user from one IP block that pair.
        for (int i = 1; i < 10; i++) {
            assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd" + i, ip)).as("attempt " + i)
                    .isInstanceOf(LoginResult.WrongCredentials.class);
        }
        assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd10", ip)).isInstanceOf(LoginResult.TooManyAttempts.class);
        LoginResult blocked = users.login(CONNECTION, email, PASSWORD, ip);
        assertThat(blocked).isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(((LoginResult.TooManyAttempts) blocked).until()).isAfter(java.time.Instant.now());
        // Another IP is not blocked.
        assertThat(users.login(CONNECTION, email, PASSWORD, uniqueIp())).isInstanceOf(LoginResult.Success.class);

        JsonNode blocks = json(server.management("GET", "api/v2/user-blocks/" + encode(userId), null));
        assertThat(blocks.path("blocked_for")).hasSize(1);
        assertThat(blocks.path("blocked_for").get(0).path("ip").asText()).isEqualTo(ip);
        assertThat(blocks.path("blocked_for").get(0).path("identifier").asText()).isEqualTo(email);
        assertThat(blocks.path("blocked_for").get(0).path("connection").asText()).isEqualTo(CONNECTION);
        JsonNode byIdentifier = json(server.management("GET", "api/v2/user-blocks?identifier=" + encode(email), null));
        assertThat(byIdentifier.path("blocked_for")).hasSize(1);

        JsonNode limit = eventually(() -> logs("type:limit_wc AND user_id:\"" + userId + "\""), l -> l.size() == 1);
        assertThat(limit).hasSize(1);
        assertThat(limit.get(0).path("ip").asText()).isEqualTo(ip);

        assertThat(server.management("DELETE", "api/v2/user-blocks/" + encode(userId), null).statusCode()).isEqualTo(204);
        assertThat(json(server.management("GET", "api/v2/user-blocks/" + encode(userId), null)).path("blocked_for")).isEmpty();
        assertThat(users.login(CONNECTION, email, PASSWORD, ip)).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void aPasswordChangeLiftsTheBlock() {
        String email = uniqueEmail();
        String userId = createUser(email, PASSWORD);
        String ip = uniqueIp();
        for (int i = 0; i < 10; i++) {
            users.login(CONNECTION, email, "Wrong-Passw0rd", ip);
        }
        assertThat(users.login(CONNECTION, email, PASSWORD, ip)).isInstanceOf(LoginResult.TooManyAttempts.class);

        server.management("PATCH", "api/v2/users/" + encode(userId), "{\"password\":\"An0ther-Passw0rd\"}");

        assertThat(users.login(CONNECTION, email, PASSWORD, ip)).isInstanceOf(LoginResult.WrongCredentials.class);
        assertThat(users.login(CONNECTION, email, "An0ther-Passw0rd", ip)).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void aSuccessfulLoginResetsTheCount() {
        String email = uniqueEmail();
        createUser(email, PASSWORD);
        String ip = uniqueIp();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 9; i++) {
                assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.WrongCredentials.class);
            }
            assertThat(users.login(CONNECTION, email, PASSWORD, ip)).as("round " + round)
                    .isInstanceOf(LoginResult.Success.class);
        }
    }

    @Test
    void unknownEmailsAreBlockedLikeKnownOnesSoBlocksRevealNothing() {
        String unknown = uniqueEmail();
        String ip = uniqueIp();
        for (int i = 1; i < 10; i++) {
            assertThat(users.login(CONNECTION, unknown, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.WrongCredentials.class);
        }
        assertThat(users.login(CONNECTION, unknown, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, unknown, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.TooManyAttempts.class);

        // Auth0: GET/DELETE /api/v2/user-blocks?identifier= work by email, user or not.
        String path = "api/v2/user-blocks?identifier=" + encode(unknown.toUpperCase());
        JsonNode blocks = json(server.management("GET", path, null));
        assertThat(blocks.path("blocked_for")).hasSize(1);
        assertThat(blocks.path("blocked_for").get(0).path("ip").asText()).isEqualTo(ip);
        assertThat(server.management("DELETE", path, null).statusCode()).isEqualTo(204);
        assertThat(users.login(CONNECTION, unknown, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.WrongCredentials.class);
        assertThat(server.management("GET", "api/v2/user-blocks", null).statusCode()).isEqualTo(400);
        assertThat(server.management("GET", "api/v2/user-blocks/" + encode("auth0|nope"), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void failuresForUnknownEmailsFromOneIpNeverKeepOutAUserWithTheRightPassword() {
        // OWASP ASVS 2.2.1: anti-automation must not let an attacker lock real users out. One address is
        // often a whole office or carrier NAT; spraying emails that do not exist from it must not block
        // the right password of an account that has no failures of its own.
        String ip = uniqueIp();
        String victim = uniqueEmail();
        createUser(victim, PASSWORD);
        for (int i = 1; i < BruteForceProtection.IP_CEILING; i++) {
            assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", ip)).as("attempt " + i)
                    .isInstanceOf(LoginResult.WrongCredentials.class);
        }
        // Past the ceiling every failure from the address is answered "too many attempts" (and logged)...
        assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, victim, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(eventually(() -> logs("type:limit_mu AND ip:\"" + ip + "\""), l -> !l.isEmpty())).isNotEmpty();
        // ...but the right password of an account with no block of its own still gets in.
        assertThat(users.login(CONNECTION, victim, PASSWORD, ip)).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void theIpCeilingAnswersWithADelayThatGrowsRatherThanAFixedHour() {
        String ip = uniqueIp();
        Instant start = Instant.now();
        for (int i = 1; i < BruteForceProtection.IP_CEILING; i++) {
            users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", ip);
        }
        LoginResult first = users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", ip);
        assertThat(first).isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(((LoginResult.TooManyAttempts) first).until()).isBefore(start.plusSeconds(60));
        LoginResult later = null;
        for (int i = 0; i < 3 * BruteForceProtection.IP_DOUBLING; i++) {
            later = users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", ip);
        }
        assertThat(((LoginResult.TooManyAttempts) later).until())
                .isAfter(((LoginResult.TooManyAttempts) first).until().plusSeconds(4));
    }

    @Test
    void guessingOneAccountFromManyIpsIsSlowedForThatAccount() {
        // OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2: failures count per account too, whatever the address,
        // so rotating addresses does not buy unlimited guesses; the delay passes by itself.
        String email = uniqueEmail();
        createUser(email, PASSWORD);
        for (int i = 1; i < BruteForceProtection.ACCOUNT_FREE_FAILURES; i++) {
            assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd", uniqueIp())).as("attempt " + i)
                    .isInstanceOf(LoginResult.WrongCredentials.class);
        }
        assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd", uniqueIp()))
                .isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, email, PASSWORD, uniqueIp())).as("refused before the password is checked")
                .isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", uniqueIp())).as("other accounts")
                .isInstanceOf(LoginResult.WrongCredentials.class);

        String ip = uniqueIp();
        assertThat(eventually(() -> users.login(CONNECTION, email, PASSWORD, ip), r -> r instanceof LoginResult.Success))
                .isInstanceOf(LoginResult.Success.class);
        // The success reset the account's count.
        assertThat(users.login(CONNECTION, email, "Wrong-Passw0rd", uniqueIp())).isInstanceOf(LoginResult.WrongCredentials.class);
    }

    @Test
    void trustedNetworksAreNotCountedAgainstTheIpCeiling() {
        try (TestServer own = TestServer.start(s -> TestSettings.withTrustedNetworks(s, List.of("10.250.0.0/16")))) {
            UserDirectory directory = own.latchkey().users();
            for (int i = 0; i <= BruteForceProtection.IP_CEILING; i++) {
                assertThat(directory.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", "10.250.1.1")).as("attempt " + i)
                        .isInstanceOf(LoginResult.WrongCredentials.class);
            }
            // Per account and IP it is still counted (Auth0's ten).
            String email = uniqueEmail();
            for (int i = 1; i < BruteForceProtection.PAIR_THRESHOLD; i++) {
                directory.login(CONNECTION, email, "Wrong-Passw0rd", "10.250.1.1");
            }
            assertThat(directory.login(CONNECTION, email, "Wrong-Passw0rd", "10.250.1.1"))
                    .isInstanceOf(LoginResult.TooManyAttempts.class);
        }
    }

    @Test
    void ipv6AddressesCountPerSlash64AgainstTheIpCeiling() {
        // RFC 6177 §2: one subscriber usually holds a whole /64, so each address of it is the same client.
        int n = Math.abs(UUID.randomUUID().hashCode());
        String network = "2001:db8:" + Integer.toHexString(n >> 16 & 0xffff) + ":" + Integer.toHexString(n & 0xffff);
        for (int i = 1; i < BruteForceProtection.IP_CEILING; i++) {
            assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", network + "::" + Integer.toHexString(i)))
                    .as("attempt " + i).isInstanceOf(LoginResult.WrongCredentials.class);
        }
        assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", network + ":ffff:ffff:ffff:ffff"))
                .isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", network + ":1::1"))
                .isInstanceOf(LoginResult.TooManyAttempts.class);
        assertThat(users.login(CONNECTION, uniqueEmail(), "Wrong-Passw0rd", network.replace("2001:db8:", "2001:db9:")
                + "::1")).isInstanceOf(LoginResult.WrongCredentials.class);
    }

    @Test
    void busyPasswordHashingAnswersUnavailableAndCountsNothing() {
        // Every hashing slot taken: the login is neither a failure nor a success, and waits only so long.
        String email = uniqueEmail();
        createUser(email, PASSWORD);
        Jdbi jdbi = Jdbi.create(server.latchkey().settings().databaseUrl());
        var failures = new dev.latchkey.server.store.JdbcLoginFailureStore(jdbi);
        PasswordHasher busy = new PasswordHasher(TestServer.CHEAP_PASSWORDS, 0, Duration.ofMillis(50));
        UserDirectory directory = new DatabaseUserDirectory(new dev.latchkey.server.store.JdbcUserStore(jdbi), busy,
                new BruteForceProtection(failures, AddressRanges.parse("none", List.of())), AuditLog.NONE, Clock.systemUTC());
        String ip = uniqueIp();

        assertThat(directory.login(CONNECTION, email, "Wrong-Passw0rd", ip)).isInstanceOf(LoginResult.Unavailable.class);
        assertThat(directory.login(CONNECTION, "x" + email, "Wrong-Passw0rd", ip))
                .isInstanceOf(LoginResult.Unavailable.class);
        assertThat(failures.pair(BruteForceProtection.subject(CONNECTION, email), ip)).isEmpty();
        long window = BruteForceProtection.IP_WINDOW.toMillis();
        assertThat(failures.ipFailures(ip, Instant.ofEpochMilli(System.currentTimeMillis() / window * window))).isZero();
    }

    @Test
    void writesAuth0LogEventsForLogins() {
        String email = uniqueEmail();
        String userId = createUser(email, PASSWORD);
        String ip = uniqueIp();
        users.login(new LoginAttempt(CONNECTION, email, PASSWORD, ip, "client-123", "My App", "Mozilla/5.0"));
        users.login(CONNECTION, email, "Wrong-Passw0rd", ip);
        users.login(CONNECTION, "nobody-" + email, "Wrong-Passw0rd", ip);

        // Auth0 log types: s = success, fp = wrong password, fu = unknown user.
        JsonNode success = eventually(() -> logs("type:s AND user_id:\"" + userId + "\""), l -> l.size() == 1).get(0);
        assertThat(success.path("client_id").asText()).isEqualTo("client-123");
        assertThat(success.path("client_name").asText()).isEqualTo("My App");
        assertThat(success.path("user_name").asText()).isEqualTo(email);
        assertThat(success.path("ip").asText()).isEqualTo(ip);
        assertThat(success.path("connection").asText()).isEqualTo(CONNECTION);
        assertThat(success.path("user_agent").asText()).isEqualTo("Mozilla/5.0");
        assertThat(success.path("date").asText()).matches("\\d{4}-.*\\.\\d{3}Z");
        assertThat(eventually(() -> logs("type:fp AND user_id:\"" + userId + "\""), l -> l.size() == 1)).hasSize(1);
        JsonNode unknown = eventually(() -> logs("type:fu"), l -> containsUserName(l, "nobody-" + email));
        assertThat(containsUserName(unknown, "nobody-" + email)).isTrue();
        // No password anywhere in the log.
        assertThat(server.management("GET", "api/v2/logs?per_page=100", null).body())
                .doesNotContain(PASSWORD).doesNotContain("Wrong-Passw0rd");
    }

    private static boolean containsUserName(JsonNode logs, String userName) {
        for (JsonNode log : logs) {
            if (log.path("user_name").asText().equals(userName)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void hashesWithTheProductionArgon2idCostByDefault() {
        // The one test with production parameters (OWASP: m=19456 KiB, t=2, p=1).
        try (TestServer production = TestServer.start(UnaryOperator.identity(), Argon2Cost.OWASP)) {
            String email = uniqueEmail();
            HttpResponse<String> response = production.management("POST", "api/v2/users", """
                    {"connection":"%s","email":"%s","password":"%s"}""".formatted(CONNECTION, email, PASSWORD));
            String userId = json(response).path("user_id").asText();
            String hash = Jdbi.create(production.latchkey().settings().databaseUrl()).withHandle(h -> h.createQuery(
                    "SELECT password_hash FROM users WHERE user_id = :id").bind("id", userId).mapTo(String.class).one());
            assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            UserDirectory directory = production.latchkey().users();
            assertThat(directory.login(CONNECTION, email, PASSWORD, "10.9.9.9")).isInstanceOf(LoginResult.Success.class);

            // An unknown email costs a full Argon2id verification too, so timing does not reveal which
            // emails exist. Without the dummy hash the ratio would be about 50; noise stays far below 3.
            long known = medianNanos(() -> directory.login(CONNECTION, email, "Wrong-Passw0rd", "10.9.9.10"));
            long unknown = medianNanos(() -> directory.login(CONNECTION, "x" + email, "Wrong-Passw0rd", "10.9.9.11"));
            assertThat((double) known / unknown).isBetween(1 / 3.0, 3.0);
        }
    }

    private static long medianNanos(Runnable action) {
        long[] times = new long[5];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            action.run();
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }
}
