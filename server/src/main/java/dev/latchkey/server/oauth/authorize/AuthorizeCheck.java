package dev.latchkey.server.oauth.authorize;

/**
 * One rule of the authorization endpoint. A check reads the request, records what it
 * established in the context, or throws an {@link AuthorizeException}.
 */
public interface AuthorizeCheck {

    void check(AuthorizeContext context);
}
