package dev.latchkey.server.store;

import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.oauth.device.DeviceCode;
import dev.latchkey.server.oauth.device.DeviceCodeStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device code store's contract, run on H2 and PostgreSQL: every field round-trips, codes are found by
 * either digest, and each change of state has exactly one winner however many callers race (one decision per
 * code, one accepted poll per interval, one exchange); a login transaction remembers that it ends in a device
 * approval (V12).
 */
abstract class DeviceCodeStoreContract extends ContractDatabase {

    private static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);

    private JdbcDeviceCodeStore codes;

    @Override
    protected void opened(Database database) {
        codes = new JdbcDeviceCodeStore(database.jdbi());
    }

    @BeforeEach
    void emptyTables() {
        requireAvailable();
        database.jdbi().useHandle(h -> {
            h.execute("DELETE FROM device_codes");
            h.execute("DELETE FROM login_transactions");
        });
    }

    private static DeviceCode pending(String id) {
        return new DeviceCode(id, "dch-" + id, "uch-" + id, "client1", List.of("openid", "offline_access"),
                "https://tv.example/api", DeviceCode.Status.PENDING, null, 5, null, false, T0, T0.plusSeconds(900),
                T0.plusSeconds(4500));
    }

    private static DeviceCode.Approval approval(String userId) {
        return new DeviceCode.Approval(userId, List.of("openid"), "az_" + userId, T0.minusSeconds(10), "sid-" + userId);
    }

    @Test
    void aCodeRoundTripsAndIsFoundByEitherDigest() {
        DeviceCode code = pending("a");
        assertThat(codes.create(code)).isTrue();
        assertThat(codes.findByDeviceCode("dch-a")).contains(code);
        assertThat(codes.findByUserCode("uch-a")).contains(code);
        assertThat(codes.findById("a")).contains(code);
        assertThat(codes.findByUserCode("uch-nothing")).isEmpty();
    }

    @Test
    void aTakenUserCodeIsRefusedSoThatAnotherIsDrawn() {
        assertThat(codes.create(pending("a"))).isTrue();
        DeviceCode clash = new DeviceCode("b", "dch-b", "uch-a", "client1", List.of(), null,
                DeviceCode.Status.PENDING, null, 5, null, false, T0, T0.plusSeconds(900), T0.plusSeconds(4500));
        assertThat(codes.create(clash)).isFalse();
    }

    @Test
    void anApprovalRecordsTheUserAndOnlyOneDecisionWins() throws Exception {
        codes.create(pending("a"));
        List<Boolean> wins = race(8, i -> i % 2 == 0 ? codes.approve("a", approval("u" + i), T0.plusSeconds(60))
                : codes.deny("a", T0.plusSeconds(60)));
        assertThat(wins.stream().filter(w -> w).count()).isEqualTo(1);
        DeviceCode decided = codes.findById("a").orElseThrow();
        assertThat(decided.status()).isIn(DeviceCode.Status.APPROVED, DeviceCode.Status.DENIED);
        if (decided.status() == DeviceCode.Status.APPROVED) {
            assertThat(decided.approval().scopes()).containsExactly("openid");
            assertThat(decided.approval().authorizationId()).isEqualTo("az_" + decided.approval().userId());
            assertThat(decided.approval().authTime()).isEqualTo(T0.minusSeconds(10));
        }
    }

    @Test
    void anExpiredCodeCannotBeApproved() {
        codes.create(pending("a"));
        assertThat(codes.approve("a", approval("u"), T0.plusSeconds(900))).isFalse();
        assertThat(codes.findById("a").orElseThrow().status()).isEqualTo(DeviceCode.Status.PENDING);
    }

    @Test
    void onePollIsAcceptedPerIntervalAndTheIntervalGrowsOncePerAcceptedPoll() throws Exception {
        codes.create(pending("a"));
        List<Boolean> accepted = race(8, i -> codes.polled("dch-a", null, T0.plusSeconds(1)));
        assertThat(accepted.stream().filter(a -> a).count()).isEqualTo(1);
        Instant polled = T0.plusSeconds(1);
        assertThat(codes.findByDeviceCode("dch-a").orElseThrow().polledAt()).isEqualTo(polled);

        List<Boolean> slowed = race(8, i -> codes.slowDown("dch-a", polled, 10));
        assertThat(slowed.stream().filter(s -> s).count()).isEqualTo(1);
        DeviceCode code = codes.findByDeviceCode("dch-a").orElseThrow();
        assertThat(code.intervalSeconds()).isEqualTo(10);
        assertThat(code.slowed()).isTrue();
        // A poll read before the accepted one is stale.
        assertThat(codes.polled("dch-a", null, T0.plusSeconds(20))).isFalse();
        assertThat(codes.polled("dch-a", polled, T0.plusSeconds(20))).isTrue();
        assertThat(codes.findByDeviceCode("dch-a").orElseThrow().slowed()).isFalse();
    }

    @Test
    void anApprovedCodeIsConsumedOnceAndOnlyByItsClient() throws Exception {
        codes.create(pending("a"));
        assertThat(codes.consume("dch-a", "client1")).as("a pending code is not consumed").isEmpty();
        codes.approve("a", approval("u"), T0.plusSeconds(60));
        assertThat(codes.consume("dch-a", "client2")).isEmpty();
        List<Boolean> firsts = race(8, i -> codes.consume("dch-a", "client1").orElseThrow()
                instanceof DeviceCodeStore.Consumed.First);
        assertThat(firsts.stream().filter(f -> f).count()).isEqualTo(1);
        assertThat(codes.consume("dch-a", "client1")).get().isInstanceOf(DeviceCodeStore.Consumed.Replayed.class);
        assertThat(codes.findById("a").orElseThrow().status()).isEqualTo(DeviceCode.Status.USED);
    }

    @Test
    void anExpiryIsReportedOnce() {
        codes.create(pending("a"));
        assertThat(codes.expire("dch-a")).isTrue();
        assertThat(codes.expire("dch-a")).isFalse();
        assertThat(codes.findById("a").orElseThrow().status()).isEqualTo(DeviceCode.Status.EXPIRED);
    }

    @Test
    void expiredRowsAreSwept() {
        codes.create(pending("a"));
        assertThat(codes.deleteExpired(T0.plusSeconds(4499), 100)).isZero();
        assertThat(codes.deleteExpired(T0.plusSeconds(4501), 100)).isEqualTo(1);
        assertThat(codes.findById("a")).isEmpty();
    }

    @Test
    void aLoginTransactionRemembersThatItEndsInADeviceApproval() {
        JdbcLoginTransactionStore transactions = new JdbcLoginTransactionStore(database.jdbi());
        CheckedAuthorization request = new CheckedAuthorization("client1", null, List.of(), null, null, null,
                List.of("openid"), "https://tv.example/api", null, null, List.of("consent"), null, null, List.of(),
                false);
        transactions.create(new LoginTransaction("tx1", new Outcome.DeviceApproval(request, "a"), "csrf", "10.0.0.1",
                null, null, null, T0, T0.plusSeconds(1800)));
        transactions.create(new LoginTransaction("tx2", new Outcome.AuthorizationResponse(request), "csrf",
                "10.0.0.1", null, null, null, T0, T0.plusSeconds(1800)));
        assertThat(transactions.find("tx1").orElseThrow().outcome())
                .isEqualTo(new Outcome.DeviceApproval(request, "a"));
        assertThat(transactions.find("tx2").orElseThrow().outcome())
                .isEqualTo(new Outcome.AuthorizationResponse(request));
    }

    /** Runs {@code calls} callers of {@code call} at once; answers what each got. */
    private static List<Boolean> race(int calls, RaceCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                Callable<Boolean> task = () -> {
                    start.await();
                    return call.run(n);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface RaceCall {
        boolean run(int caller);
    }
}
