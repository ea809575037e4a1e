package dev.latchkey.server.identity;

/**
 * One login attempt with what the caller knows about where it came from; {@code clientId},
 * {@code clientName} and {@code userAgent} may be null and only enrich the log events.
 */
public record LoginAttempt(String connection, String email, String password, String ipAddress,
                           String clientId, String clientName, String userAgent) {

    /** The longest email address (RFC 5321 §4.5.3.1: 64 + @ + 255) an attempt may name. */
    public static final int MAX_EMAIL_LENGTH = 320;
    /**
     * Longer passwords are refused before any hashing: no account has one (new passwords are at most
     * {@link PasswordPolicy#MAX_LENGTH} characters), and hashing them costs more.
     */
    public static final int MAX_PASSWORD_LENGTH = 1000;

    public LoginAttempt(String connection, String email, String password, String ipAddress) {
        this(connection, email, password, ipAddress, null, null, null);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "LoginAttempt[connection=" + connection + ", ip=" + ipAddress + ", client=" + clientId + "]";
    }
}
