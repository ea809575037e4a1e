package dev.latchkey.server.oauth.authorize;

// Rules: nonce is required when this endpoint returns an ID token (OIDC Core §3.2.2.1, §3.3.2.11);
//        when sent it is at most 512 characters, and goes into the ID token unchanged (OIDC Core
//        §3.1.2.1), which binds the token to the client's session against replay.
final class NonceCheck implements AuthorizeCheck {

    static final int MAX_LENGTH = 512;

    @Override
    public void check(AuthorizeContext context) {
        String nonce = context.param("nonce");
        if (nonce == null && context.responseType.contains("id_token")) {
            throw AuthorizeException.invalidRequest(
                    "Missing required parameter: nonce (required when response_type includes id_token)");
        }
        if (nonce != null && nonce.length() > MAX_LENGTH) {
            throw AuthorizeException.invalidRequest("nonce is longer than " + MAX_LENGTH + " characters");
        }
        context.nonce = nonce;
    }
}
