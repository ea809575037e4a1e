package dev.latchkey.server.http;

import java.util.Map;

/**
 * The headers every response carries, the routes' and Jetty's own error answers alike (OWASP ASVS 14.4):
 * no content sniffing, no referrer, never framed, and a policy that allows nothing, which the HTML pages
 * replace with their own ({@code ui.ContentSecurityPolicy}).
 */
final class SecurityHeaders {

    static final Map<String, String> EVERY_RESPONSE = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

    private SecurityHeaders() {
    }
}
