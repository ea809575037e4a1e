package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.latchkey.server.audit.UsageStats;
import dev.latchkey.server.http.Json;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code GET /api/v2/stats/active-users} (a bare number: users who logged in during the last 30 days)
 * and {@code GET /api/v2/stats/daily?from=YYYYMMDD&to=YYYYMMDD} (one object per day of the range, both
 * ends included, with {@code logins}, {@code signups} and {@code leaked_passwords}), as Auth0 answers them.
 * Logins are counted from the log, so no further back than its retention; signups from users' creation.
 */
final class StatsResource {

    static final Duration ACTIVE_WINDOW = Duration.ofDays(30);
    /** Without {@code from}, the 30 days up to {@code to}; a range may span at most a year. */
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final UsageStats stats;
    private final Clock clock;

    StatsResource(UsageStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    void activeUsers(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, Json.MAPPER.getNodeFactory().numberNode(
                stats.activeUsers(clock.instant().minus(ACTIVE_WINDOW))));
    }

    void daily(Context ctx, ManagementCaller caller) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate to = day(ctx, "to", today);
        LocalDate from = day(ctx, "from", to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) {
            throw ManagementException.invalidQuery("Query validation error: 'from must not be after to'.");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw ManagementException.invalidQuery("Query validation error: 'the range may span at most "
                    + MAX_DAYS + " days'.");
        }
        var start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        var end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<LocalDate, Long> logins = stats.loginsPerDay(start, end);
        Map<LocalDate, Long> signups = stats.signupsPerDay(start, end);
        String now = Views.time(clock.instant());
        ArrayNode days = Json.MAPPER.createArrayNode();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.addObject()
                    .put("date", Views.time(day.atStartOfDay(ZoneOffset.UTC).toInstant()))
                    .put("logins", logins.getOrDefault(day, 0L))
                    .put("signups", signups.getOrDefault(day, 0L))
                    .put("leaked_passwords", 0)
                    .put("updated_at", now)
                    .put("created_at", now);
        }
        Json.write(ctx, 200, days);
    }

    private static LocalDate day(Context ctx, String name, LocalDate absent) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            if (value.length() == 8) {
                return LocalDate.parse(value, DAY);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ManagementException.invalidQuery("Query validation error: 'String does not match pattern "
                + "^\\d{8}$' on property " + name + " (YYYYMMDD).");
    }
}
