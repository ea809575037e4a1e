package dev.latchkey.server.management;

import com.nimbusds.oauth2.sdk.client.RedirectURIValidator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * What a client may register as a callback, logout URL or web origin. Each check returns null when
 * the value is acceptable, else the problem in words.
 */
final class ClientUrls {

    /** Schemes that would run or embed content instead of navigating to the application. */
    private static final Set<String> DANGEROUS_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "blob");

    private ClientUrls() {
    }

    /**
     * RFC 6749 §3.1.2: an absolute URI without a fragment. http(s) for web apps; a private-use
     * scheme ({@code com.example.app:/cb}) for native apps (RFC 8252 §7.1), never a scriptable one.
     */
    static String checkRedirect(String value) {
        URI uri = parse(value);
        if (uri == null || !uri.isAbsolute()) {
            return "Must be an absolute URL";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (DANGEROUS_SCHEMES.contains(scheme)) {
            return "The scheme " + scheme + ": is not allowed";
        }
        if (uri.getRawFragment() != null) {
            return "Must not contain a fragment (#...)";
        }
        if ((scheme.equals("http") || scheme.equals("https")) && (uri.getHost() == null || uri.getRawUserInfo() != null)) {
            return "Must name a host and carry no user information";
        }
        try {
            // The SDK's own rules for registered redirect URIs (e.g. no code or state parameters).
            RedirectURIValidator.ensureLegal(uri);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** An origin: {@code scheme://host[:port]} with http or https, nothing else. */
    static String checkOrigin(String value) {
        URI uri = parse(value);
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return "Must be an origin like https://app.example.com";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "An origin must use http or https";
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        return bare ? null : "An origin has no path (not even a trailing slash), query, fragment or user information";
    }

    private static URI parse(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
