package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.token.IssuedTokens;

/** What a grant issued, and for which user (null for a machine), for the token response and the log. */
public record Granted(IssuedTokens tokens, String userId) {
}
