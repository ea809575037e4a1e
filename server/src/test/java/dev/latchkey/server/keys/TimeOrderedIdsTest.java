package dev.latchkey.server.keys;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {

    @Test
    void theTimeIsFixedWidthAndSortsAsTheInstantsDo() {
        List<Long> instants = List.of(0L, 35L, 36L, 1_796_667_459_409L, 1_796_667_459_410L, 101_559_956_668_415L);
        List<String> times = new ArrayList<>();
        for (long instant : instants) {
            String time = TimeOrderedIds.time(instant);
            assertThat(time).hasSize(TimeOrderedIds.TIME_DIGITS).matches("[0-9a-z]+");
            assertThat(Long.parseLong(time, 36)).isEqualTo(instant);
            times.add(time);
        }
        assertThat(times).isSorted();
    }

    @Test
    void anIdIsThePrefixTheCurrentTimeAndTheRandomPart() {
        long before = System.currentTimeMillis();
        String id = TimeOrderedIds.next("az_", "r1");
        long after = System.currentTimeMillis();
        assertThat(id).startsWith("az_").endsWith("r1").hasSize(3 + TimeOrderedIds.TIME_DIGITS + 2);
        assertThat(Long.parseLong(id.substring(3, 3 + TimeOrderedIds.TIME_DIGITS), 36)).isBetween(before, after);
    }

    @Test
    void authorizationAndRefreshTokenIdsBeginWithTheirCreationTimeAndKeepTheirRandomPart() {
        long before = System.currentTimeMillis();
        String authorization = dev.latchkey.server.token.Authorization.newId();
        String refresh = dev.latchkey.server.token.NewRefreshToken.generate(true, null).id();
        long after = System.currentTimeMillis();
        for (String id : List.of(authorization, refresh)) {
            assertThat(id).matches("(az|rt)_[0-9a-z]{9}[A-Za-z0-9]{24}");
            assertThat(Long.parseLong(id.substring(3, 3 + TimeOrderedIds.TIME_DIGITS), 36)).isBetween(before, after);
        }
    }
}
