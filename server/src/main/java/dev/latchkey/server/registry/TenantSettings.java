package dev.latchkey.server.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant's settings as Auth0's JSON ({@code /api/v2/tenants/settings}), kept whole so that what
 * Latchkey does not act on yet round-trips; the methods read the settings it does act on, with Auth0's
 * defaults where none is set.
 */
public record TenantSettings(Map<String, Object> json) {

    /** Auth0 §4.2: revoking a refresh token revokes its whole grant (user, application, API). */
    public static final String REVOKE_REFRESH_TOKEN_GRANT = "revoke_refresh_token_grant";
    public static final TenantSettings DEFAULT = new TenantSettings(Map.of());
    /** Auth0's defaults: a session lasts at most 7 days (168 h), and ends after 3 days (72 h) unused. */
    public static final double DEFAULT_SESSION_LIFETIME_HOURS = 168;
    public static final double DEFAULT_IDLE_SESSION_LIFETIME_HOURS = 72;

    public TenantSettings {
        json = Map.copyOf(json);
    }

    /** Auth0 §1.4: the connection the {@code password} grant signs users in through, when set. */
    public Optional<String> defaultDirectory() {
        return text("default_directory");
    }

    /** Auth0 §1.2: the audience of a token request that names none (/authorize, client credentials, password). */
    public Optional<String> defaultAudience() {
        return text("default_audience");
    }

    /** The absolute lifetime of an SSO session (tenant {@code session_lifetime}, hours). */
    public Duration sessionLifetime() {
        return hours("session_lifetime", DEFAULT_SESSION_LIFETIME_HOURS);
    }

    /** How long an SSO session may go unused (tenant {@code idle_session_lifetime}, hours). */
    public Duration idleSessionLifetime() {
        return hours("idle_session_lifetime", DEFAULT_IDLE_SESSION_LIFETIME_HOURS);
    }

    /** Where {@code /v2/logout} may send a browser back when no application is named. */
    public List<String> allowedLogoutUrls() {
        return json.get("allowed_logout_urls") instanceof List<?> urls
                ? urls.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
    }

    public boolean flag(String name) {
        return json.get("flags") instanceof Map<?, ?> flags && Boolean.TRUE.equals(flags.get(name));
    }

    private Optional<String> text(String field) {
        return json.get(field) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }

    private Duration hours(String field, double fallback) {
        double hours = json.get(field) instanceof Number number && number.doubleValue() > 0
                ? number.doubleValue() : fallback;
        return Duration.ofSeconds(Math.round(hours * 3600));
    }
}
