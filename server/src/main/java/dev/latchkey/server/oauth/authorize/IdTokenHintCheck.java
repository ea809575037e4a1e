package dev.latchkey.server.oauth.authorize;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.token.OwnTokens;

// Rules: id_token_hint, when sent, is an ID token this server issued to this client, expired or not
//        (OIDC Core §3.1.2.1); a hint for another client, a forged or foreign one is invalid_request.
//        Its subject is kept: a session of another user does not count as the hinted user's login,
//        so prompt=none then answers login_required.
final class IdTokenHintCheck implements AuthorizeCheck {

    private final OwnTokens tokens;

    IdTokenHintCheck(OwnTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void check(AuthorizeContext context) {
        String hint = context.param("id_token_hint");
        if (hint == null || hint.isEmpty()) {
            return;
        }
        JWTClaimsSet claims = tokens.idTokenHint(hint)
                .filter(c -> c.getAudience().contains(context.client().clientId()))
                .orElseThrow(() -> AuthorizeException.invalidRequest(
                        "id_token_hint is not an ID token this server issued to the client"));
        context.hintedSubject = claims.getSubject();
    }
}
