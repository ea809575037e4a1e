package dev.latchkey.verifier;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads the issuer's OpenID configuration once and remembers it. Failures are retried at most once per
 * {@code retryInterval}, so requests arriving while the issuer is down do not each trigger a fetch.
 */
final class IssuerDiscovery {

    /** The parts of the discovery document the verifier uses. */
    record Metadata(URI jwksUri, Optional<URI> userinfoEndpoint) {
    }

    private final String issuer;
    private final IssuerHttp http;
    private final Clock clock;
    private final Duration retryInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Metadata metadata;
    private Instant lastFailure;

    IssuerDiscovery(String issuer, IssuerHttp http, Clock clock, Duration retryInterval) {
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    Metadata metadata() throws IOException {
        Metadata known = metadata;
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            if (metadata != null) {
                return metadata;
            }
            if (lastFailure != null && clock.instant().isBefore(lastFailure.plus(retryInterval))) {
                throw new IOException("discovery for " + issuer + " failed recently; not retrying yet");
            }
            try {
                metadata = fetch();
                return metadata;
            } catch (IOException e) {
                lastFailure = clock.instant();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private Metadata fetch() throws IOException {
        URI location = IssuerUri.discoveryDocument(issuer);
        IssuerHttp.Response response = http.get(location);
        if (response.status() != 200) {
            throw new IOException(location + " answered HTTP " + response.status());
        }
        Map<String, Object> document;
        try {
            document = JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new IOException(location + " is not a JSON object", e);
        }
        // OIDC Discovery §4.3: the issuer in the document must be exactly the one configured, or an
        // attacker-controlled document could vouch for another issuer's tokens.
        Object advertised = document.get("issuer");
        if (!issuer.equals(advertised)) {
            throw new IOException("discovery at " + location + " names issuer " + advertised
                    + ", not the configured " + issuer);
        }
        try {
            URI jwksUri = IssuerUri.require(stringMember(document, "jwks_uri", location), "jwks_uri");
            Optional<URI> userinfo = document.get("userinfo_endpoint") == null
                    ? Optional.empty()
                    : Optional.of(IssuerUri.require(stringMember(document, "userinfo_endpoint", location),
                            "userinfo_endpoint"));
            return new Metadata(jwksUri, userinfo);
        } catch (IllegalArgumentException e) {
            throw new IOException("discovery at " + location + ": " + e.getMessage(), e);
        }
    }

    private static String stringMember(Map<String, Object> document, String name, URI location) throws IOException {
        if (document.get(name) instanceof String value) {
            return value;
        }
        throw new IOException("discovery at " + location + " has no string " + name);
    }
}
