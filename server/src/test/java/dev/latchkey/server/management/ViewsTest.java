package dev.latchkey.server.management;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ViewsTest {

    @Test
    void writesTimesWithMillisecondsEvenOnAWholeSecond() {
        // Auth0: ISO 8601 with milliseconds, e.g. 2026-11-22T10:00:00.000Z.
        assertThat(Views.time(Instant.parse("2026-11-22T10:00:00Z"))).isEqualTo("2026-11-22T10:00:00.000Z");
        assertThat(Views.time(Instant.parse("2026-11-22T10:00:00.123456Z"))).isEqualTo("2026-11-22T10:00:00.123Z");
        assertThat(Views.time(null)).isNull();
    }
}
