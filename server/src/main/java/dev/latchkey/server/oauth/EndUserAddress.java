package dev.latchkey.server.oauth;

import dev.latchkey.server.http.AddressRanges;

import java.net.InetAddress;
import java.net.UnknownHostException;

// Rules: the address a token request is counted against (the password grants' brute-force protection)
//        and logged with is the request's own (the TCP peer, or X-Forwarded-For behind
//        LATCHKEY_TRUSTED_PROXIES). Auth0's auth0-forwarded-for header replaces it only when the client proved
//        its secret and has is_token_endpoint_ip_header_trusted (Auth0 §1.4): from anyone else it is ignored,
//        so that a caller cannot spread its guesses over made-up addresses. A trusted client's header must be
//        one IP literal.
final class EndUserAddress {

    static final String HEADER = "auth0-forwarded-for";

    private EndUserAddress() {
    }

    static String of(AuthenticatedClient caller, TokenRequest request) {
        if (!caller.authenticated() || !caller.client().ipHeaderTrusted()) {
            return request.clientIp();
        }
        return request.header(HEADER).map(EndUserAddress::literal).orElse(request.clientIp());
    }

    /** The address in its canonical text, so that one address is counted once however it is written. */
    private static String literal(String value) {
        byte[] bytes = AddressRanges.literal(value.trim());
        if (bytes == null) {
            throw OAuthException.invalidRequest(HEADER + " must be a single IP address");
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw OAuthException.invalidRequest(HEADER + " must be a single IP address");
        }
    }
}
