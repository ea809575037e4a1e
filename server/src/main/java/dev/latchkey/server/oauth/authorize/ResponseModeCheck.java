package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.ui.FormPostView;

import java.net.URI;
import java.util.Set;

// Rules: response_mode is query, fragment, form_post (OAuth 2.0 Form Post Response Mode §2) or
//        web_message (Auth0, silent authentication); the default is query for code and fragment
//        otherwise (Multiple Response Types §2.1, §5); tokens never travel in a query (§2.1, RFC 9700
//        §2.1.2); web_message needs the redirect URI's origin among the client's web_origins (Auth0);
//        form_post needs an http(s) redirect URI, the only thing a form can post to (an error page).
final class ResponseModeCheck implements AuthorizeCheck {

    static final Set<String> MODES = Set.of("query", "fragment", "form_post", "web_message");

    @Override
    public void check(AuthorizeContext context) {
        String requested = context.param("response_mode");
        boolean tokens = context.responseType.contains("token") || context.responseType.contains("id_token");
        if (requested == null) {
            context.responseMode = tokens ? "fragment" : "query";
            return;
        }
        if (!MODES.contains(requested)) {
            throw AuthorizeException.invalidRequest("Unsupported response_mode: " + requested
                    + "; use query, fragment, form_post or web_message");
        }
        if (tokens && requested.equals("query")) {
            throw AuthorizeException.invalidRequest("response_mode query cannot carry tokens; use fragment or "
                    + "form_post with response_type " + String.join(" ", context.responseType));
        }
        if (requested.equals("web_message") && !context.client.webOrigins().contains(origin(context.redirectUri))) {
            throw AuthorizeException.invalidRequest("response_mode web_message needs the origin of the "
                    + "redirect_uri in the application's Allowed Web Origins (web_origins)");
        }
        if (requested.equals("form_post") && !FormPostView.postable(context.redirectUri)) {
            throw AuthorizeException.page("invalid_request", "response_mode form_post needs an http or https "
                    + "redirect_uri");
        }
        context.responseMode = requested;
    }

    /** {@code scheme://host[:port]} of a URI, as browsers write an origin. */
    static String origin(String uri) {
        try {
            URI parsed = URI.create(uri);
            return parsed.getScheme() + "://" + parsed.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
