package dev.sigil.auth.login.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    static ClientAddress trusting(String proxies) {
        ClientAddress addresses = new ClientAddress();
        addresses.trustedProxies = Optional.ofNullable(proxies);
        return addresses;
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress addresses = trusting(null);
        assertEquals("10.0.0.5", addresses.of("10.0.0.5", "203.0.113.7"));
        assertEquals("10.0.0.5", addresses.of("10.0.0.5", null));
    }

    @Test
    void aTrustedProxyNamesTheClientItSaw() {
        ClientAddress addresses = trusting("10.0.0.1, 10.0.0.2");
        assertEquals("203.0.113.7", addresses.of("10.0.0.1", "203.0.113.7"));
        assertEquals("2001:db8:0:0::/64", addresses.of("10.0.0.1", "2001:db8::7"));
        // two proxies in a row: the rightmost address that is not a proxy
        assertEquals("203.0.113.7", addresses.of("10.0.0.2", "203.0.113.7, 10.0.0.1"));
    }

    @Test
    void whatTheClientWroteItselfIsNeverUsed() {
        ClientAddress addresses = trusting("10.0.0.1");
        // the client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended what it saw
        assertEquals("203.0.113.7", addresses.of("10.0.0.1", "198.51.100.1, 203.0.113.7"));
    }

    /** A proxy that adds a header line of its own leaves the client's line first: all lines count, in order. */
    @Test
    void whatTheClientWroteInALineOfItsOwnIsNeverUsedEither() {
        ClientAddress addresses = trusting("10.0.0.1");
        String lines = ClientAddress.forwardedFor(Collections.enumeration(List.of("198.51.100.1", "203.0.113.7")));
        assertEquals("203.0.113.7", addresses.of("10.0.0.1", lines));
        assertNull(ClientAddress.forwardedFor(Collections.emptyEnumeration()));
        assertNull(ClientAddress.forwardedFor(null));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() {
        ClientAddress addresses = trusting("10.0.0.1");
        assertEquals("203.0.113.9", addresses.of("203.0.113.9", "10.0.0.1"));
    }

    @Test
    void aHeaderWithoutAnAddressFallsBackToThePeer() {
        ClientAddress addresses = trusting("10.0.0.1");
        assertEquals("10.0.0.1", addresses.of("10.0.0.1", "unknown"));
        assertEquals("10.0.0.1", addresses.of("10.0.0.1", ""));
        assertEquals("10.0.0.1", addresses.of("10.0.0.1", "10.0.0.1"));
        assertEquals("10.0.0.1", addresses.of("10.0.0.1", "x".repeat(100)));
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        ClientAddress addresses = trusting(null);
        assertEquals("2001:db8:1:2::/64", addresses.of("2001:db8:1:2::1", null));
        assertEquals(
                "2001:db8:1:2::/64",
                addresses.of("2001:0DB8:0001:0002:ffff:ffff:ffff:fffe", null),
                "another host in the same /64, spelt differently");
        assertEquals("2001:db8:1:3::/64", addresses.of("2001:db8:1:3::1", null));
        assertEquals("0:0:0:0::/64", addresses.of("0:0:0:0:0:0:0:1", null));
        assertEquals("fe80:0:0:0::/64", addresses.of("fe80::1%eth0", null), "a zone does not make another client");
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Address() {
        assertEquals("192.0.2.4", trusting(null).of("::ffff:192.0.2.4", null));
        assertEquals("192.0.2.4", trusting("10.0.0.1").of("10.0.0.1", "::ffff:c000:204"));
    }

    @Test
    void proxiesAreComparedAsAddresses() {
        ClientAddress addresses = trusting("::1, ::ffff:10.0.0.1, not-an-address");
        assertEquals("203.0.113.7", addresses.of("0:0:0:0:0:0:0:1", "203.0.113.7"));
        assertEquals("203.0.113.7", addresses.of("10.0.0.1", "203.0.113.7, 0000::1"));
        assertEquals("203.0.113.8", addresses.of("[::1]", "203.0.113.8"));
    }

    @Test
    void anEntryThatIsNotAnAddressIsIgnoredAndNeverLookedUp() {
        ClientAddress addresses = trusting("10.0.0.1");
        for (String entry : List.of(
                "cafe",
                "localhost",
                "256.1.1.1",
                "1.2.3",
                "127.1",
                "::g",
                "1:2:3:4:5:6:7:8:9",
                "2001:db8::1/64",
                "example.com",
                "")) {
            assertEquals("10.0.0.1", addresses.of("10.0.0.1", entry), entry);
            assertTrue(ClientAddress.parse(entry).isEmpty(), entry);
        }
        assertEquals("10.0.0.1", addresses.of("10.0.0.1", "203.0.113.7, cafe"), "not skipped over either");
    }
}
