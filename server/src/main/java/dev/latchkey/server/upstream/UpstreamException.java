package dev.latchkey.server.upstream;

/**
 * A login at an upstream provider that cannot go on, with why. {@link Reason#PROVIDER_ERROR} is the provider
 * saying no (its {@code error}); the others are answers that cannot be trusted or did not come.
 * The message never holds a token, code or secret.
 */
public final class UpstreamException extends RuntimeException {

    public enum Reason {
        /** The provider answered the login with an {@code error} (RFC 6749 §4.1.2.1). */
        PROVIDER_ERROR,
        /** The provider did not answer in time, or could not be reached. */
        UNREACHABLE,
        /** The provider's answer was larger than we read. */
        TOO_LARGE,
        /** The provider's answer broke a rule (issuer, signature, algorithm, nonce, audience, expiry, shape). */
        INVALID_RESPONSE
    }

    private final Reason reason;
    /** The provider's {@code error} code when it said no (RFC 6749 §5.2), else null. */
    private final String providerError;

    public UpstreamException(Reason reason, String message) {
        super(message);
        this.reason = reason;
        this.providerError = null;
    }

    public UpstreamException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.providerError = null;
    }

    private UpstreamException(String providerError, String message) {
        super(message);
        this.reason = Reason.PROVIDER_ERROR;
        this.providerError = providerError;
    }

    /** The provider's token endpoint answered with {@code error} (RFC 6749 §5.2). */
    public static UpstreamException refused(String providerError, String message) {
        return new UpstreamException(providerError, message);
    }

    /** True when the provider refused a grant it no longer honours ({@code invalid_grant}, RFC 6749 §5.2). */
    public boolean grantRefused() {
        return "invalid_grant".equals(providerError);
    }

    /**
     * A token endpoint's answer that holds neither tokens nor an {@code error} code: the provider failing (HTTP
     * 5xx, like one that does not answer) or answering something broken.
     */
    static UpstreamException withoutTokens(int status) {
        return new UpstreamException(status >= 500 ? Reason.UNREACHABLE : Reason.INVALID_RESPONSE,
                "The identity provider's token endpoint answered HTTP " + status + " with neither tokens nor an "
                        + "error code");
    }

    public Reason reason() {
        return reason;
    }
}
