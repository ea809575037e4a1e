package dev.latchkey.server.identity;

/**
 * One login attempt with what the caller knows about where it came from; {@code clientId},
 * {@code clientName} and {@code userAgent} may be null and only enrich the log events.
 */
public record LoginAttempt(String connection, String email, String password, String ipAddress,
                           String clientId, String clientName, String userAgent) {

    public LoginAttempt(String connection, String email, String password, String ipAddress) {
        this(connection, email, password, ipAddress, null, null, null);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "LoginAttempt[connection=" + connection + ", ip=" + ipAddress + ", client=" + clientId + "]";
    }
}
