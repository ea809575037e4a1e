package dev.latchkey.server.oauth.authorize;

// Rules: request objects are not supported: a request parameter is answered request_not_supported
//        (OIDC Core §6.1, §3.1.2.6) and a request_uri parameter request_uri_not_supported (§6.2),
//        on the redirect URI once it is checked. Discovery says so (request_parameter_supported false).
final class RequestObjectCheck implements AuthorizeCheck {

    @Override
    public void check(AuthorizeContext context) {
        if (context.param("request") != null) {
            throw AuthorizeException.redirect("request_not_supported", "The request parameter is not supported");
        }
        if (context.param("request_uri") != null) {
            throw AuthorizeException.redirect("request_uri_not_supported",
                    "The request_uri parameter is not supported");
        }
    }
}
