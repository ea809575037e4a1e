package dev.latchkey.server.store;

import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.oauth.grant.AuthorizationCode;
import dev.latchkey.server.token.OpaqueToken;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Expired sessions, codes and opaque tokens are swept in batches by their expires_at; live ones stay. */
class BrowserFlowRowsSweepTest {

    @Test
    void sweeperDeletesOnlyExpiredRows() {
        try (Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null)) {
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            var sessions = new JdbcSsoSessionStore(database.jdbi(), new dev.latchkey.server.keys.MasterKey(new byte[32]));
            var codes = new JdbcAuthorizationCodeStore(database.jdbi());
            var tokens = new JdbcOpaqueTokenStore(database.jdbi());
            for (int i = 0; i < 5; i++) {
                Instant expires = i < 3 ? now.minusSeconds(1) : now.plusSeconds(60);
                sessions.create(new SsoSession("s" + i, "sid" + i, "auth0|u", now.minusSeconds(99), now.minusSeconds(99),
                        expires, expires));
                codes.create(new AuthorizationCode("c" + i, "client", "https://app/cb", null, null, null,
                        List.of("openid"), null, "auth0|u", now, null, now, expires, null, expires, null, null, true));
                tokens.create(new OpaqueToken("t" + i, "client", "auth0|u", List.of("openid"), null, now, expires));
            }
            Clock clock = Clock.fixed(now, ZoneOffset.UTC);
            // A batch of 2 needs several rounds for 3 expired rows per table.
            List<ExpiringRows> tables = List.of(sessions::deleteExpired, codes::deleteExpired, tokens::deleteExpired);
            for (ExpiringRows table : tables) {
                assertThat(table.deleteExpired(clock.instant(), 2)).isEqualTo(2);
                assertThat(table.deleteExpired(clock.instant(), 2)).isEqualTo(1);
                assertThat(table.deleteExpired(clock.instant(), 2)).isZero();
            }
            new ExpiredRowSweeper(tables, clock).run();
            assertThat(sessions.find("s0")).isEmpty();
            assertThat(sessions.find("s4")).isPresent();
            assertThat(tokens.find("t1")).isEmpty();
            assertThat(tokens.find("t3")).isPresent();
            assertThat(codes.consume("c3", "client", now, now.plusSeconds(60))).isPresent();
            assertThat(codes.consume("c2", "client", now, now.plusSeconds(60))).isEmpty();
        }
    }
}
