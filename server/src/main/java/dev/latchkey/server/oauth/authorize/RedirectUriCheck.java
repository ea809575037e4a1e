package dev.latchkey.server.oauth.authorize;

import com.nimbusds.oauth2.sdk.client.RedirectURIValidator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

// Rules: redirect_uri, once any #fragment is dropped (Auth0), equals one of the client's callbacks
//        character for character: no prefix, path, port, scheme or encoding games (RFC 6749 §3.1.2.3,
//        RFC 9700 §4.1.3). Without one, a client's only callback is used (RFC 6749 §3.1.2.3). Any
//        mismatch is an error page, never a redirect (RFC 6749 §4.1.2.1; Auth0 "Callback URL mismatch").
//        The URI must also be one the Nimbus SDK accepts as a redirect URI (a URI, no data:,
//        javascript: or vbscript: scheme, no code/state/response query parameter): else an error
//        page too, as a later parse failure would otherwise be sent to that very URI.
final class RedirectUriCheck implements AuthorizeCheck {

    static final String MISMATCH = "Callback URL mismatch. The provided redirect_uri is not in the list of "
            + "allowed callback URLs.";

    @Override
    public void check(AuthorizeContext context) {
        List<String> callbacks = context.client.callbacks();
        if (context.repeated("redirect_uri")) {
            throw AuthorizeException.page("invalid_request", "Parameter redirect_uri is repeated");
        }
        String requested = context.param("redirect_uri");
        if (requested == null) {
            if (callbacks.size() != 1) {
                throw AuthorizeException.page("invalid_request", "Missing required parameter: redirect_uri");
            }
            context.redirectUri = legal(callbacks.get(0));
            context.redirectUriDefaulted = true;
            return;
        }
        int hash = requested.indexOf('#');
        String withoutFragment = hash < 0 ? requested : requested.substring(0, hash);
        if (!callbacks.contains(withoutFragment)) {
            throw AuthorizeException.page("redirect_uri_mismatch", MISMATCH);
        }
        context.redirectUri = legal(withoutFragment);
    }

    private static String legal(String redirectUri) {
        try {
            RedirectURIValidator.ensureLegal(new URI(redirectUri));
            return redirectUri;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw AuthorizeException.page("invalid_request", "The application's callback URL cannot be used as a "
                    + "redirect_uri: " + e.getMessage());
        }
    }
}
