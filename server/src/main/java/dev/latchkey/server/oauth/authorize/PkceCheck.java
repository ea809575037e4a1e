package dev.latchkey.server.oauth.authorize;

import java.util.regex.Pattern;

// Rules: with a code, code_challenge_method is S256 and plain is refused (RFC 9700 §2.1.1; Auth0 supports
//        S256 only); a challenge is 43-128 unreserved characters (RFC 7636 §4.2); public clients
//        (spa, native, token_endpoint_auth_method none) must send one (RFC 9700 §2.1.1, RFC 8252 §8.1).
final class PkceCheck implements AuthorizeCheck {

    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    @Override
    public void check(AuthorizeContext context) {
        if (!context.responseType.contains("code")) {
            return;
        }
        String challenge = context.param("code_challenge");
        String method = context.param("code_challenge_method");
        if (challenge == null) {
            if (method != null) {
                throw AuthorizeException.invalidRequest("code_challenge_method was sent without code_challenge");
            }
            if (!context.client.confidential() || context.client.appType().publicClient()) {
                throw AuthorizeException.invalidRequest("Public applications must use PKCE: send code_challenge "
                        + "and code_challenge_method=S256 (RFC 7636)");
            }
            return;
        }
        if (method == null) {
            // RFC 7636 §4.3 would default to plain, which is not accepted.
            throw AuthorizeException.invalidRequest("Missing code_challenge_method: only S256 is supported");
        }
        if (!method.equals("S256")) {
            throw AuthorizeException.invalidRequest("Unsupported code_challenge_method " + method
                    + ": only S256 is supported");
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            throw AuthorizeException.invalidRequest("code_challenge must be 43 to 128 characters of "
                    + "[A-Za-z0-9-._~] (RFC 7636 §4.2)");
        }
        context.codeChallenge = challenge;
        context.codeChallengeMethod = method;
    }
}
