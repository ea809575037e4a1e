package dev.latchkey.server.interaction;

import java.time.Instant;

/**
 * Who the browser is logged in as: from the SSO session, or from the login page just now
 * ({@code fresh}), which satisfies {@code prompt=login} and {@code max_age}.
 */
public record Authentication(String userId, Instant authTime, String sid, boolean fresh) {
}
