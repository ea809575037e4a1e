package dev.latchkey.server.oauth.authorize;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An {@code /authorize} request that passed every check: what the login and consent pages carry
 * along in the login transaction, and what the issuer needs. {@code responseType} holds the
 * values in the order code, id_token, token; {@code audience} is null for /userinfo-only tokens;
 * {@code acrValues} is empty unless the client sent acr_values.
 */
public record CheckedAuthorization(
        String clientId,
        String redirectUri,
        List<String> responseType,
        String responseMode,
        String state,
        String nonce,
        List<String> scopes,
        String audience,
        String codeChallenge,
        String codeChallengeMethod,
        List<String> prompt,
        Long maxAge,
        String loginHint,
        // Left out of the stored login transaction when empty, so a node of the previous release,
        // which does not know the property, still reads the transactions of requests without it.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> acrValues,
        // True when the request named no redirect_uri and got the client's only callback; written
        // only then, for the same reason.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean redirectUriDefaulted) {

    /** The largest {@code max_age} accepted: longer than any session lives, far from overflow in time arithmetic. */
    public static final long MAX_AGE_LIMIT = 10L * 365 * 24 * 3600;

    public CheckedAuthorization {
        responseType = List.copyOf(responseType);
        scopes = List.copyOf(scopes);
        prompt = List.copyOf(prompt);
        acrValues = acrValues == null ? List.of() : List.copyOf(acrValues);
    }

    /** The same request granting only {@code granted} (RBAC narrows the requested scopes once the user is known). */
    public CheckedAuthorization withScopes(List<String> granted) {
        return new CheckedAuthorization(clientId, redirectUri, responseType, responseMode, state, nonce, granted,
                audience, codeChallenge, codeChallengeMethod, prompt, maxAge, loginHint, acrValues, redirectUriDefaulted);
    }

    public boolean returnsCode() {
        return responseType.contains("code");
    }

    public boolean returnsIdToken() {
        return responseType.contains("id_token");
    }

    public boolean returnsToken() {
        return responseType.contains("token");
    }

    /** Implicit flow: every token comes from the authorization endpoint (OIDC Core §3.2). */
    public boolean implicit() {
        return !returnsCode();
    }

    public boolean openid() {
        return scopes.contains("openid");
    }

    public boolean prompts(String value) {
        return prompt.contains(value);
    }
}
