package dev.latchkey.server.identity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The network a client address counts for in per-IP limits: an IPv4 address is itself, an IPv6
 * address stands for its /64, because one subscriber usually gets a whole /64 (RFC 6177 §2) and could
 * otherwise take a fresh address for every attempt. Anything that is not an address literal is kept
 * as it is, cut to {@value #MAX_LENGTH} characters (the width of the columns it is stored in).
 */
public final class IpNetwork {

    /** Only hex digits, colons, dots and a zone: never resolved through DNS. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z._-]+)?");

    static final int MAX_LENGTH = 64;

    private IpNetwork() {
    }

    public static String of(String address) {
        if (address == null || address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            return address == null || address.length() <= MAX_LENGTH ? address : address.substring(0, MAX_LENGTH);
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!(parsed instanceof Inet6Address)) {
                return parsed.getHostAddress(); // an IPv4-mapped IPv6 address is its IPv4 address
            }
            byte[] bytes = parsed.getAddress();
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address.length() <= MAX_LENGTH ? address : address.substring(0, MAX_LENGTH);
        }
    }
}
