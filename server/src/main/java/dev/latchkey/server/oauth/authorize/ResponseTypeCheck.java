package dev.latchkey.server.oauth.authorize;

import com.nimbusds.oauth2.sdk.ResponseType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

// Rules: response_type is one Auth0 serves: code, token, id_token, id_token token, code id_token,
//        code token or code id_token token, in any order (OAuth 2.0 Multiple Response Types §3-§5);
//        the client is allowed the grant it implies: authorization_code for a code, implicit for
//        tokens from this endpoint (RFC 6749 §4.1.2.1 unauthorized_client); id_token needs openid (OIDC Core §3.2.2.1).
final class ResponseTypeCheck implements AuthorizeCheck {

    private static final Set<Set<String>> SUPPORTED = Set.of(
            Set.of("code"), Set.of("token"), Set.of("id_token"), Set.of("id_token", "token"),
            Set.of("code", "id_token"), Set.of("code", "token"), Set.of("code", "id_token", "token"));

    @Override
    public void check(AuthorizeContext context) {
        ResponseType type = context.request.getResponseType();
        Set<String> values = new java.util.HashSet<>();
        type.forEach(value -> values.add(value.getValue()));
        if (!SUPPORTED.contains(values)) {
            throw AuthorizeException.redirect("unsupported_response_type",
                    "Unsupported response type: " + type);
        }
        if (values.contains("code") && !context.client.allowsGrant("authorization_code")) {
            throw AuthorizeException.redirect("unauthorized_client",
                    "Grant type 'authorization_code' not allowed for the client.");
        }
        if ((values.contains("token") || values.contains("id_token")) && !context.client.allowsGrant("implicit")) {
            throw AuthorizeException.redirect("unauthorized_client",
                    "Grant type 'implicit' not allowed for the client.");
        }
        String scope = context.param("scope");
        if (values.contains("id_token") && (scope == null || !List.of(scope.split(" ")).contains("openid"))) {
            throw AuthorizeException.invalidRequest("response_type id_token requires the openid scope");
        }
        List<String> ordered = new ArrayList<>();
        for (String value : List.of("code", "id_token", "token")) {
            if (values.contains(value)) {
                ordered.add(value);
            }
        }
        context.responseType = ordered;
    }
}
