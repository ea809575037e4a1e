package dev.latchkey.server.upstream;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionOptions;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenID Providers behind {@code oidc} connections, read from their discovery documents and JWKS and kept
 * {@link #FRESH_FOR} (a key the provider rotates in is picked up by {@link #refreshKeys} when a token names it).
 * <p>Rules:
 * <ul>
 *   <li>OIDC Discovery §4: the document is at {@code <issuer>/.well-known/openid-configuration} unless the
 *       connection gives {@code discovery_url}; §4.3: its {@code issuer} must equal the connection's
 *       {@code issuer}, or the discovery URL's prefix, exactly (mix-up, RFC 9700 §4.4).</li>
 *   <li>The endpoints it names are https, or http on a loopback host for development.</li>
 * </ul>
 */
public final class OidcProviders {

    static final Duration FRESH_FOR = Duration.ofMinutes(5);
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private final UpstreamHttp http;
    private final Clock clock;
    private final Map<String, OidcProvider> cache = new ConcurrentHashMap<>();

    public OidcProviders(UpstreamHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** The time the providers' documents age by, and Apple's client secrets are signed at. */
    Clock clock() {
        return clock;
    }

    public OidcProvider of(Connection connection) {
        URI discovery = discoveryUrl(connection);
        String key = connection.id() + " " + discovery;
        OidcProvider cached = cache.get(key);
        if (cached != null && cached.fetchedAt().plus(FRESH_FOR).isAfter(clock.instant())) {
            return cached;
        }
        OidcProvider fresh = fetch(connection, discovery);
        cache.put(key, fresh);
        return fresh;
    }

    /** The provider with its keys read again (a token signed with a key not yet seen). */
    public OidcProvider refreshKeys(Connection connection, OidcProvider provider) {
        OidcProvider fresh = new OidcProvider(provider.metadata(), keys(provider.metadata(), timeout(connection)),
                clock.instant());
        cache.put(connection.id() + " " + discoveryUrl(connection), fresh);
        return fresh;
    }

    /** Forgets what was read, so that the next login reads the provider again. */
    public void forget(Connection connection) {
        cache.keySet().removeIf(key -> key.startsWith(connection.id() + " "));
    }

    static Duration timeout(Connection connection) {
        // A Latchkey option (not Auth0's): seconds a provider has to answer each call, 1 to 30.
        if (connection.options().get("upstream_timeout_seconds") instanceof Number seconds) {
            return Duration.ofSeconds(Math.max(1, Math.min(30, seconds.longValue())));
        }
        return UpstreamHttp.DEFAULT_TIMEOUT;
    }

    static String expectedIssuer(Connection connection) {
        if (connection.options().get("issuer") instanceof String issuer) {
            return issuer;
        }
        String discovery = (String) connection.options().get("discovery_url");
        return discovery.endsWith(WELL_KNOWN) ? discovery.substring(0, discovery.length() - WELL_KNOWN.length())
                : discovery;
    }

    private static URI discoveryUrl(Connection connection) {
        if (connection.options().get("discovery_url") instanceof String url) {
            return ConnectionOptions.url(url, "discovery_url");
        }
        String issuer = (String) connection.options().get("issuer");
        return ConnectionOptions.url((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + WELL_KNOWN, "issuer");
    }

    private OidcProvider fetch(Connection connection, URI discovery) {
        Duration timeout = timeout(connection);
        HTTPResponse answer = http.get(discovery, timeout);
        if (answer.getStatusCode() != 200) {
            throw invalid("The identity provider's discovery document answered HTTP " + answer.getStatusCode());
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(answer.getBody());
        } catch (ParseException e) {
            throw invalid("The identity provider's discovery document is not valid: " + e.getMessage());
        }
        String expected = expectedIssuer(connection);
        if (!metadata.getIssuer().getValue().equals(expected)) {
            throw invalid("The identity provider's discovery document names issuer " + metadata.getIssuer()
                    + ", not " + expected);
        }
        for (URI endpoint : new URI[]{metadata.getAuthorizationEndpointURI(), metadata.getTokenEndpointURI(),
                metadata.getJWKSetURI()}) {
            if (endpoint == null) {
                throw invalid("The identity provider's discovery document lacks an endpoint the code flow needs");
            }
            endpointUrl(endpoint);
        }
        if (metadata.getUserInfoEndpointURI() != null) {
            endpointUrl(metadata.getUserInfoEndpointURI());
        }
        return new OidcProvider(metadata, keys(metadata, timeout), clock.instant());
    }

    private JWKSet keys(OIDCProviderMetadata metadata, Duration timeout) {
        HTTPResponse answer = http.get(metadata.getJWKSetURI(), timeout);
        if (answer.getStatusCode() != 200) {
            throw invalid("The identity provider's JWKS answered HTTP " + answer.getStatusCode());
        }
        try {
            return JWKSet.parse(answer.getBody());
        } catch (java.text.ParseException e) {
            throw invalid("The identity provider's JWKS is not valid: " + e.getMessage());
        }
    }

    /** True for an endpoint that is https, or http on a loopback host. */
    static boolean usable(URI endpoint) {
        try {
            ConnectionOptions.url(endpoint.toString(), "endpoint");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void endpointUrl(URI endpoint) {
        if (!usable(endpoint)) {
            throw invalid("The identity provider names an endpoint that is neither https nor on this machine: "
                    + endpoint);
        }
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE, message);
    }
}
