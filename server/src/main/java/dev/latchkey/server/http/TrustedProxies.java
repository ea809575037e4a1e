package dev.latchkey.server.http;

import java.util.List;

/**
 * Which peers may speak for the client through {@code X-Forwarded-*} headers: exact addresses or
 * CIDR ranges from {@code LATCHKEY_TRUSTED_PROXIES}. From anyone else those headers are ignored,
 * so a client cannot claim to have come over HTTPS or from another address.
 */
public final class TrustedProxies {

    private final AddressRanges ranges;

    private TrustedProxies(AddressRanges ranges) {
        this.ranges = ranges;
    }

    public static TrustedProxies parse(List<String> entries) {
        return new TrustedProxies(AddressRanges.parse("LATCHKEY_TRUSTED_PROXIES", entries));
    }

    public boolean trusts(String remoteAddress) {
        return ranges.contains(remoteAddress);
    }
}
