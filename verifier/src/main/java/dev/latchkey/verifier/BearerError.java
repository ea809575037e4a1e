package dev.latchkey.verifier;

/**
 * The error codes of the Bearer scheme, RFC 6750 §3.1, with the HTTP status each one goes with.
 */
public enum BearerError {
    /** RFC 6750 §3.1: the request is malformed, e.g. it carries more than one access token. */
    INVALID_REQUEST("invalid_request", 400),
    /** RFC 6750 §3.1: expired, revoked, malformed or otherwise invalid. */
    INVALID_TOKEN("invalid_token", 401),
    /** RFC 6750 §3.1: valid, but without the scope the resource needs. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403);

    private final String code;
    private final int httpStatus;

    BearerError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The value of the {@code error} attribute, e.g. {@code invalid_token}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
