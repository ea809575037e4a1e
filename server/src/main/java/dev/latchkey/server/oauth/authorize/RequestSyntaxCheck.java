package dev.latchkey.server.oauth.authorize;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import dev.latchkey.server.http.ControlCharacters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// Rules: no parameter is repeated (RFC 6749 §3.1) nor holds a control character (as at the token
//        endpoint; a scope-token is printable ASCII, RFC 6749 §3.3); the request parses as an OAuth 2.0
//        authorization request (RFC 6749 §4.1.1), or, with the openid scope, as an OpenID Connect
//        authentication request (OIDC Core §3.1.2.1, §3.2.2.1, §3.3.2.1), with the Nimbus SDK's types.
final class RequestSyntaxCheck implements AuthorizeCheck {

    @Override
    public void check(AuthorizeContext context) {
        if (!context.repeatedNames().isEmpty()) {
            throw AuthorizeException.invalidRequest("Parameter " + context.repeatedNames().iterator().next()
                    + " is repeated");
        }
        // Nimbus answers a scope-token of control characters alone (scope=%0C) with an IllegalArgumentException.
        context.params().forEach((name, value) -> {
            if (ControlCharacters.in(name, false) || ControlCharacters.in(value, false)) {
                throw AuthorizeException.invalidRequest("Parameter " + name + " contains control characters");
            }
        });
        Map<String, List<String>> params = new LinkedHashMap<>();
        context.params().forEach((name, value) -> params.put(name, List.of(value)));
        // The checked redirect URI (the only callback when none was sent; no fragment).
        params.put("redirect_uri", List.of(context.redirectUri));
        String scope = context.param("scope");
        String responseType = context.param("response_type");
        boolean openid = scope != null && List.of(scope.split(" ")).contains("openid");
        try {
            // OIDC has no response type "token" alone; Auth0 serves it as plain OAuth (RFC 6749 §4.2).
            context.request = openid && !"token".equals(responseType)
                    ? AuthenticationRequest.parse(params)
                    : AuthorizationRequest.parse(params);
        } catch (ParseException e) {
            String code = e.getErrorObject() != null && e.getErrorObject().getCode() != null
                    ? e.getErrorObject().getCode() : "invalid_request";
            throw AuthorizeException.redirect(code, e.getMessage());
        }
    }
}
