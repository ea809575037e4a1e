package dev.latchkey.server.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpNetworkTest {

    @Test
    void anIpv6AddressCountsForItsSlash64WithOrWithoutBrackets() {
        // RFC 6177 §2: a subscriber gets a /64; Jetty reports a peer's IPv6 address in brackets.
        assertThat(IpNetwork.of("2001:db8:0:0:1:2:3:4")).isEqualTo("2001:db8:0:0:0:0:0:0/64");
        assertThat(IpNetwork.of("[2001:db8:0:0:0:0:0:1]")).isEqualTo("2001:db8:0:0:0:0:0:0/64");
        assertThat(IpNetwork.of("[2001:db8::ffff]")).isEqualTo(IpNetwork.of("2001:db8::1"));
    }

    @Test
    void ipv4AndMappedAddressesAreThemselves() {
        assertThat(IpNetwork.of("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(IpNetwork.of("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    }

    @Test
    void anythingElseIsKeptCutToTheColumnWidthAndNeverResolved() {
        assertThat(IpNetwork.of(null)).isNull();
        assertThat(IpNetwork.of("unknown")).isEqualTo("unknown");
        assertThat(IpNetwork.of("localhost:8080")).isEqualTo("localhost:8080");
        assertThat(IpNetwork.of("x".repeat(100))).hasSize(IpNetwork.MAX_LENGTH);
        assertThat(IpNetwork.of("a:" + "b".repeat(100))).hasSize(IpNetwork.MAX_LENGTH);
    }
}
