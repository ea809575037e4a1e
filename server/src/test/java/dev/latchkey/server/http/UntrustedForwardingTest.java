package dev.latchkey.server.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code X-Forwarded-For} from a peer outside {@code LATCHKEY_TRUSTED_PROXIES} is ignored, and said so in the
 * log: a proxy left out of the list makes every browser behind it one address in the login limits.
 */
class UntrustedForwardingTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(UntrustedForwarding.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    @Test
    void aPeerOutsideTheTrustedProxiesIsWarnedAboutOncePerInterval() {
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < 3; i++) {
                server.send(HttpRequest.newBuilder(server.uri(".well-known/openid-configuration"))
                        .header("X-Forwarded-For", "203.0.113.7"));
            }
            server.get(".well-known/openid-configuration");
        }
        assertThat(log.list).hasSize(1);
        assertThat(log.list.get(0).getFormattedMessage()).contains("127.0.0.1", "LATCHKEY_TRUSTED_PROXIES")
                .doesNotContain("203.0.113.7");
    }

    @Test
    void aTrustedProxyIsNotWarnedAbout() {
        try (TestServer server = TestServer.start(s -> TestSettings.withTrustedProxies(s, List.of("127.0.0.1")))) {
            server.send(HttpRequest.newBuilder(server.uri(".well-known/openid-configuration"))
                    .header("X-Forwarded-For", "203.0.113.7"));
        }
        assertThat(log.list).isEmpty();
    }

    @Test
    void eachPeerIsWarnedAboutAgainAfterTheInterval() {
        AtomicLong nanos = new AtomicLong();
        UntrustedForwarding warnings = new UntrustedForwarding(Duration.ofMinutes(10), nanos::get);

        assertThat(warnings.seen("10.0.0.1")).isTrue();
        assertThat(warnings.seen("10.0.0.1")).isFalse();
        assertThat(warnings.seen("10.0.0.2")).isTrue();
        nanos.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(warnings.seen("10.0.0.1")).isTrue();
    }
}
