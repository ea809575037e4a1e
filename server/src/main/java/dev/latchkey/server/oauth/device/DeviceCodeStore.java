package dev.latchkey.server.oauth.device;

import java.time.Instant;
import java.util.Optional;

/**
 * The storage device authorization needs. Every change of state is one conditional UPDATE, so that across
 * every node exactly one caller wins: one decision per user code, one accepted poll per interval, one
 * exchange per device code.
 */
public interface DeviceCodeStore {

    /** Stores a new code; false when its user code is already taken (the caller draws another). */
    boolean create(DeviceCode code);

    Optional<DeviceCode> findByDeviceCode(String deviceCodeHash);

    Optional<DeviceCode> findByUserCode(String userCodeHash);

    Optional<DeviceCode> findById(String id);

    /** Records the user's approval if the code is still pending and valid at {@code now}; true for the one winner. */
    boolean approve(String id, DeviceCode.Approval approval, Instant now);

    /** Records that the user declined, if the code is still pending; true for the one winner. */
    boolean deny(String id, Instant now);

    /**
     * Records a poll accepted at {@code now}, if none was accepted since {@code previousPoll} (null: none ever);
     * false when another poll won meanwhile.
     */
    boolean polled(String deviceCodeHash, Instant previousPoll, Instant now);

    /**
     * Sets the interval to {@code intervalSeconds} (RFC 8628 §3.5 slow_down) once per accepted poll: only if no
     * poll was accepted since {@code previousPoll} and the interval did not grow since.
     */
    boolean slowDown(String deviceCodeHash, Instant previousPoll, int intervalSeconds);

    /**
     * Marks an approved code used, atomically, when it was issued to {@code clientId}: exactly one caller gets
     * {@link Consumed.First}; every later one {@link Consumed.Replayed}. A code of another client, or one not
     * approved, answers empty.
     */
    Optional<Consumed> consume(String deviceCodeHash, String clientId);

    /** Marks a code expired; true only the first time, so that expired_token is answered once (Auth0). */
    boolean expire(String deviceCodeHash);

    sealed interface Consumed {
        DeviceCode code();

        record First(DeviceCode code) implements Consumed {
        }

        record Replayed(DeviceCode code) implements Consumed {
        }
    }
}
