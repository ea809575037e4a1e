package dev.latchkey.server.ui;

import java.net.URI;
import java.util.Locale;

/**
 * The Content-Security-Policy of each kind of page (CSP Level 3; OWASP ASVS 14.4.3): nothing is allowed
 * by default, only the inline style or script the page was written with, by hash ({@link InlineAssets}), no
 * {@code <base>}, and a form may go only where the page's own form goes.
 */
public final class ContentSecurityPolicy {

    private static final String BASE = "default-src 'none'; base-uri 'none'; ";

    /** The message and error pages: no form of their own; never framed. */
    public static final String PAGE = page("'self'");

    private ContentSecurityPolicy() {
    }

    /**
     * The login and consent pages: their forms post to this server, which may answer with a redirect to the
     * client's {@code redirectUri}, and browsers hold that redirect to form-action too (CSP Level 3 §6.4.1).
     * A null {@code redirectUri} (a device approval) keeps the forms on this server.
     */
    public static String interaction(String redirectUri) {
        return redirectUri == null ? PAGE : page("'self' " + source(redirectUri));
    }

    /**
     * The form_post response page: its form posts to the client's {@code redirectUri}, allowed by its origin
     * so that the client's own redirect after the post stays allowed; never framed.
     */
    public static String formPost(String redirectUri) {
        return BASE + "script-src " + InlineAssets.FORM_POST.hashSource() + "; form-action " + source(redirectUri)
                + "; frame-ancestors 'none'";
    }

    /**
     * The page that posts a provider's form-post answer again to {@code /login/callback}
     * ({@code UpstreamLoginPages.formPostCallback}). That post is answered by a redirect to wherever the login
     * ends (the client's redirect URI, of any scheme, or a page here), which the browser holds to form-action
     * too; where that is is not known before the answer is read, so this page sets no form-action. Its one form
     * goes to this server, written by the page itself with escaped fields: nothing on it can change its target.
     */
    public static String postAgain() {
        return BASE + "script-src " + InlineAssets.FORM_POST.hashSource() + "; frame-ancestors 'none'";
    }

    /** The web_message response page: no form; framed only by the client at {@code clientOrigin}. */
    public static String webMessage(String clientOrigin) {
        return BASE + "script-src " + InlineAssets.WEB_MESSAGE.hashSource() + "; form-action 'none'; frame-ancestors "
                + clientOrigin;
    }

    private static String page(String formAction) {
        return BASE + "style-src " + InlineAssets.STYLE.hashSource() + "; form-action " + formAction
                + "; frame-ancestors 'none'";
    }

    /**
     * A source expression for where {@code uri} leads: its origin for http(s), its scheme for an app's own
     * scheme (RFC 8252 §7.1), nothing for what does not parse.
     */
    static String source(String uri) {
        try {
            URI parsed = URI.create(uri);
            String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null) {
                return "'none'";
            }
            if ((scheme.equals("http") || scheme.equals("https")) && parsed.getHost() != null) {
                return scheme + "://" + parsed.getHost().toLowerCase(Locale.ROOT) + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort());
            }
            return scheme.matches("[a-z][a-z0-9+.-]*") ? scheme + ":" : "'none'";
        } catch (IllegalArgumentException e) {
            return "'none'";
        }
    }
}
