package dev.latchkey.server.token;

/** Why a token is not one of this server's good tokens; each caller words its own answer. */
public final class InvalidTokenException extends RuntimeException {

    public enum Reason { MALFORMED, BAD_SIGNATURE, WRONG_ISSUER, WRONG_AUDIENCE, EXPIRED, REVOKED, UNKNOWN }

    private final Reason reason;

    InvalidTokenException(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
