package dev.latchkey.server.http;

import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop waits for requests in flight (GracefulStopTest), not for connections that merely stay open: a
 * client's idle keep-alive connection used to hold every stop for the whole shutdown idle timeout.
 */
class StopWithIdleConnectionsTest {

    @Test
    void anIdleKeepAliveConnectionDoesNotHoldTheStop() {
        TestServer server = TestServer.start();
        // The test client keeps its connection open after this answer (HTTP/1.1 keep-alive).
        assertThat(server.get("health/live").statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofMillis(HttpServer.SHUTDOWN_IDLE_MILLIS - 1_000));
    }
}
