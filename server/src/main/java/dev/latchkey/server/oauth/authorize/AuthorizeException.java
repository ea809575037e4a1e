package dev.latchkey.server.oauth.authorize;

/**
 * An authorization error (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). It goes back to the client on the
 * response mode once the client and the redirect URI are known to be valid; before that, or when
 * {@code page} is set, the user sees an error page instead: never redirect to an unchecked URI.
 */
public final class AuthorizeException extends RuntimeException {

    private final String error;
    private final boolean page;

    private AuthorizeException(String error, String description, boolean page) {
        super(description, null, false, false);
        this.error = error;
        this.page = page;
    }

    /** An error for the client, on its redirect URI. */
    public static AuthorizeException redirect(String error, String description) {
        return new AuthorizeException(error, description, false);
    }

    public static AuthorizeException invalidRequest(String description) {
        return redirect("invalid_request", description);
    }

    /** An error that can only be shown to the user (bad client or redirect URI). */
    public static AuthorizeException page(String error, String description) {
        return new AuthorizeException(error, description, true);
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public boolean page() {
        return page;
    }
}
