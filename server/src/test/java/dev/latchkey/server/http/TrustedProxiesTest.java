package dev.latchkey.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code LATCHKEY_TRUSTED_PROXIES}: exact addresses and CIDR ranges (RFC 4632 §3.1, RFC 4291 §2.3). */
class TrustedProxiesTest {

    @Test
    void nobodyIsTrustedByDefault() {
        TrustedProxies none = TrustedProxies.parse(List.of());

        assertThat(none.trusts("127.0.0.1")).isFalse();
        assertThat(none.trusts("::1")).isFalse();
        assertThat(none.trusts(null)).isFalse();
    }

    @Test
    void exactIpv4AddressIsTrustedAndNoOther() {
        TrustedProxies proxies = TrustedProxies.parse(List.of(" 10.0.0.5 "));

        assertThat(proxies.trusts("10.0.0.5")).isTrue();
        assertThat(proxies.trusts("10.0.0.6")).isFalse();
        assertThat(proxies.trusts("::1")).isFalse();
    }

    @Test
    void ipv4RangesMatchByPrefix() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("10.1.0.0/16", "192.168.1.128/25"));

        assertThat(proxies.trusts("10.1.0.0")).isTrue();
        assertThat(proxies.trusts("10.1.255.255")).isTrue();
        assertThat(proxies.trusts("10.2.0.0")).isFalse();
        // A prefix that does not end on a byte boundary.
        assertThat(proxies.trusts("192.168.1.128")).isTrue();
        assertThat(proxies.trusts("192.168.1.255")).isTrue();
        assertThat(proxies.trusts("192.168.1.127")).isFalse();
    }

    @Test
    void zeroPrefixTrustsAWholeFamilyOnly() {
        TrustedProxies anyIpv4 = TrustedProxies.parse(List.of("0.0.0.0/0"));

        assertThat(anyIpv4.trusts("203.0.113.9")).isTrue();
        assertThat(anyIpv4.trusts("2001:db8::1")).isFalse();
    }

    @Test
    void ipv6AddressesAndRanges() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("::1", "fd00::/8", "[2001:db8:1::]/48"));

        assertThat(proxies.trusts("::1")).isTrue();
        assertThat(proxies.trusts("0:0:0:0:0:0:0:1")).isTrue();
        // Jetty reports IPv6 peers in brackets.
        assertThat(proxies.trusts("[0:0:0:0:0:0:0:1]")).isTrue();
        assertThat(proxies.trusts("fd12:3456::1")).isTrue();
        assertThat(proxies.trusts("fe80::1")).isFalse();
        assertThat(proxies.trusts("2001:db8:1:ffff::1")).isTrue();
        assertThat(proxies.trusts("2001:db8:2::1")).isFalse();
        assertThat(proxies.trusts("127.0.0.1")).isFalse();
    }

    @Test
    void ipv4MappedIpv6PeerCountsAsItsIpv4Address() {
        assertThat(TrustedProxies.parse(List.of("10.0.0.0/8")).trusts("::ffff:10.1.2.3")).isTrue();
    }

    @Test
    void blankEntriesAreIgnored() {
        assertThat(TrustedProxies.parse(List.of("", "  ", "127.0.0.1")).trusts("127.0.0.1")).isTrue();
    }

    /** Addresses come from headers a client writes: a name is never looked up, so it is never trusted. */
    @Test
    void namesAreNeverResolvedNorTrusted() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("127.0.0.1", "::1"));

        assertThat(proxies.trusts("localhost")).isFalse();
        assertThat(proxies.trusts("cafe")).isFalse();
        assertThat(proxies.trusts("cafe:babe")).isFalse();
        assertThat(proxies.trusts("127.1")).isFalse();
        assertThat(proxies.trusts("unknown")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-ip", "localhost", "cafe", "beef:cafe", "127.1", "1.2.3", "300.1.1.1",
            "1.2.3.4.5", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/33", "::1/129", "/8",
            "10.0.0.0/8/8", "fe80::1%eth0"})
    void badEntriesAreRejectedNamingTheEntry(String entry) {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("127.0.0.1", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LATCHKEY_TRUSTED_PROXIES")
                .hasMessageContaining(entry);
    }
}
