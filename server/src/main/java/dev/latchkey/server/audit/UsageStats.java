package dev.latchkey.server.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** The tenant's usage figures, as Auth0's {@code /api/v2/stats} reports them. */
public interface UsageStats {

    /** Users whose last login is at or after {@code since}. */
    long activeUsers(Instant since);

    /** Successful logins (log type {@code s}) per UTC day in [{@code from}, {@code to}). */
    Map<LocalDate, Long> loginsPerDay(Instant from, Instant to);

    /** Users created per UTC day in [{@code from}, {@code to}). */
    Map<LocalDate, Long> signupsPerDay(Instant from, Instant to);
}
