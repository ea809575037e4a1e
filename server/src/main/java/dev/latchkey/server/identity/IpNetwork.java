package dev.latchkey.server.identity;

import dev.latchkey.server.http.AddressRanges;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The network a client address counts for in per-IP limits: an IPv4 address is itself, an IPv6
 * address stands for its /64, because one subscriber usually gets a whole /64 (RFC 6177 §2) and could
 * otherwise take a fresh address for every attempt. IPv6 may come with or without brackets (Jetty
 * gives a peer's address in brackets). Anything that is not an address literal is kept as it is, cut
 * to {@value #MAX_LENGTH} characters (the width of the columns it is stored in).
 */
public final class IpNetwork {

    static final int MAX_LENGTH = 64;

    private IpNetwork() {
    }

    public static String of(String address) {
        byte[] bytes = address == null || address.indexOf(':') < 0 ? null : AddressRanges.literal(address);
        if (bytes == null) {
            return truncate(address);
        }
        try {
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress(); // an IPv4-mapped IPv6 address
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return truncate(address); // not reached: the bytes are 4 or 16 long
        }
    }

    private static String truncate(String address) {
        return address == null || address.length() <= MAX_LENGTH ? address : address.substring(0, MAX_LENGTH);
    }
}
