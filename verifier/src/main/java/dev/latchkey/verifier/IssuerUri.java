package dev.latchkey.verifier;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The rule for every URL the verifier trusts keys from (the issuer, its {@code jwks_uri}, its userinfo
 * endpoint): https, or plain http on a loopback host for development. A token signed with keys fetched over
 * plain http from a remote host proves nothing (RFC 8725 §3.10, OIDC Discovery §3: the issuer uses https).
 */
final class IssuerUri {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private IssuerUri() {
    }

    /** Parses and checks {@code value}; {@code what} names it in the error. */
    static URI require(String value, String what) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + value, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw new IllegalArgumentException(what + " has no host: " + value);
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
            throw new IllegalArgumentException(
                    what + " must use https (http only on localhost, 127.0.0.1 or [::1]): " + value);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must not have a fragment: " + value);
        }
        return uri;
    }

    /** OIDC Discovery §3: an issuer is an https URL with no query or fragment. */
    static URI requireIssuer(String value) {
        URI uri = require(value, "issuer");
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("issuer must not have a query: " + value);
        }
        return uri;
    }

    /** OIDC Discovery §4: the configuration sits at {@code <issuer>/.well-known/openid-configuration}. */
    static URI discoveryDocument(String issuer) {
        String base = issuer.endsWith("/") ? issuer : issuer + "/";
        return URI.create(base + ".well-known/openid-configuration");
    }
}
