package dev.latchkey.server.identity;

/** Why a change to a user was refused; the message is safe to show (it never holds a password). */
public final class UserAccountException extends RuntimeException {

    public enum Problem { INVALID, WEAK_PASSWORD, UNKNOWN_CONNECTION, DUPLICATE, NOT_FOUND, BUSY }

    private final Problem problem;

    public UserAccountException(Problem problem, String message) {
        super(message, null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    static UserAccountException notFound() {
        return new UserAccountException(Problem.NOT_FOUND, "The user does not exist.");
    }

    static UserAccountException duplicate() {
        // Auth0's words for a taken email in a database connection.
        return new UserAccountException(Problem.DUPLICATE, "The user already exists.");
    }
}
