package dev.latchkey.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list of exact IP addresses and CIDR ranges (RFC 4632 §3.1, RFC 4291 §2.3) read from a setting, such as
 * {@code LATCHKEY_TRUSTED_PROXIES} or {@code LATCHKEY_TRUSTED_NETWORKS}, and the addresses it contains.
 * IPv4 and IPv6 are separate families: a range of one never contains an address of the other.
 */
public final class AddressRanges {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");

    private final List<Range> ranges;

    private AddressRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses {@code entries} of the setting named {@code setting} (named in the error for a bad entry). */
    public static AddressRanges parse(String setting, List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                ranges.add(Range.parse(setting, trimmed));
            }
        }
        return new AddressRanges(List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(String address) {
        if (ranges.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address.trim());
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /**
     * The bytes of an IP address literal (dotted-quad IPv4, or IPv6 with or without brackets), or
     * null for anything else. Never a DNS lookup: these strings may come from request headers, and
     * {@link InetAddress#getByName} would resolve names and accept short forms like {@code 127.1}.
     */
    public static byte[] literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (host.indexOf(':') >= 0) {
            if (!IPV6_CHARACTERS.matcher(host).matches()) {
                return null;
            }
            try {
                // In brackets InetAddress parses an IPv6 literal or fails; it never looks the text up.
                return InetAddress.getByName("[" + host + "]").getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        Matcher quad = IPV4.matcher(host);
        if (!quad.matches()) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(quad.group(i + 1));
            if (octet > 255) {
                return null;
            }
            address[i] = (byte) octet;
        }
        return address;
    }

    private record Range(byte[] network, int prefixBits) {

        static Range parse(String setting, String entry) {
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(host);
            if (network == null) {
                throw new IllegalArgumentException(setting + " takes IP addresses or CIDR ranges "
                        + "(e.g. 10.0.0.0/8, ::1), got " + entry);
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                String prefix = entry.substring(slash + 1);
                bits = prefix.matches("[0-9]{1,3}") ? Integer.parseInt(prefix) : -1;
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException(setting + ": bad prefix length in " + entry
                            + " (0 to " + network.length * 8 + ")");
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
