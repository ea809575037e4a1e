package dev.latchkey.server.identity;

/** Why a link or an unlink was refused; the message is safe to show. */
public final class AccountLinkException extends RuntimeException {

    public enum Problem {
        PRIMARY_NOT_FOUND, SECONDARY_NOT_FOUND, IDENTITY_NOT_FOUND, UNKNOWN_PROVIDER, SAME_USER, ALREADY_LINKED,
        SECONDARY_HAS_LINKS, SECONDARY_BLOCKED, MAIN_IDENTITY, DUPLICATE
    }

    private final Problem problem;

    AccountLinkException(Problem problem, String message) {
        super(message, null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
