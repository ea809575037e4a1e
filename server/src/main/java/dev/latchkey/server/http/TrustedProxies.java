package dev.latchkey.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which peers may speak for the client through {@code X-Forwarded-*} headers: exact addresses or
 * CIDR ranges from {@code LATCHKEY_TRUSTED_PROXIES}. From anyone else those headers are ignored,
 * so a client cannot claim to have come over HTTPS or from another address.
 */
public final class TrustedProxies {

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                ranges.add(Range.parse(trimmed));
            }
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    public boolean trusts(String remoteAddress) {
        if (ranges.isEmpty() || remoteAddress == null) {
            return false;
        }
        byte[] address;
        try {
            address = InetAddress.getByName(stripBrackets(remoteAddress)).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    private static String stripBrackets(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    private record Range(byte[] network, int prefixBits) {

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.\\[\\]]+")) {
                throw new IllegalArgumentException("LATCHKEY_TRUSTED_PROXIES takes IP addresses or CIDR ranges, got "
                        + entry);
            }
            byte[] network;
            try {
                network = InetAddress.getByName(stripBrackets(host)).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("LATCHKEY_TRUSTED_PROXIES: not an IP address: " + entry);
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("LATCHKEY_TRUSTED_PROXIES: bad prefix length in " + entry);
                }
            }
            return new Range(network, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
