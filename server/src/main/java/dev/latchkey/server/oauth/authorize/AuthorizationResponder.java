package dev.latchkey.server.oauth.authorize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.ui.ContentSecurityPolicy;
import dev.latchkey.server.ui.FormPostView;
import dev.latchkey.server.ui.Pages;
import dev.latchkey.server.ui.WebMessageView;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends an authorization response, success or error, to the client's redirect URI on its
 * response mode: in the query (RFC 6749 §4.1.2), in the fragment (§4.2.2), as an auto-submitting
 * form (Form Post Response Mode §2), or posted to the parent window (Auth0's web_message). Every
 * response names this server in {@code iss} (RFC 9207 §2), so a client talking to several
 * authorization servers can tell which one answered (mix-up attacks, RFC 9700 §4.4).
 */
public final class AuthorizationResponder {

    private final Pages pages;
    private final String issuer;

    public AuthorizationResponder(Pages pages, String issuer) {
        this.pages = pages;
        this.issuer = issuer;
    }

    public void error(Context ctx, String redirectUri, String mode, String error, String description, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description);
        if (state != null) {
            params.put("state", state);
        }
        respond(ctx, redirectUri, mode, params);
    }

    public void respond(Context ctx, String redirectUri, String mode, Map<String, String> response) {
        ctx.header("Cache-Control", "no-store");
        Map<String, String> params = new LinkedHashMap<>(response);
        // RFC 9207 §2: success and error responses alike, in every response mode.
        params.put("iss", issuer);
        if (mode.equals("form_post") && !FormPostView.postable(redirectUri)) {
            // Form Post Response Mode §2 posts to the client's web address; never to another scheme.
            pages.error(ctx, 400, "Something went wrong", "response_mode form_post needs an http or https "
                    + "redirect_uri.", "error: invalid_request");
            return;
        }
        switch (mode) {
            case "query" -> ctx.redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + encode(params),
                    HttpStatus.FOUND);
            case "fragment" -> ctx.redirect(redirectUri + "#" + encode(params), HttpStatus.FOUND);
            case "form_post" -> pages.render(ctx, 200, "form_post.jte", new FormPostView(redirectUri, params),
                    ContentSecurityPolicy.formPost(redirectUri));
            case "web_message" -> webMessage(ctx, redirectUri, params);
            default -> throw new IllegalStateException("Unchecked response mode " + mode);
        }
    }

    private void webMessage(Context ctx, String redirectUri, Map<String, String> params) {
        String origin = ResponseModeCheck.origin(redirectUri);
        // Auth0: this page runs in a hidden iframe of the application, which may frame it.
        ctx.res().setHeader("X-Frame-Options", null);
        try {
            pages.render(ctx, 200, "web_message.jte",
                    new WebMessageView(origin, Json.MAPPER.writeValueAsString(params)),
                    ContentSecurityPolicy.webMessage(origin));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, String> params) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        params.forEach((name, value) -> multi.put(name, List.of(value)));
        return URLUtils.serializeParameters(multi);
    }
}
