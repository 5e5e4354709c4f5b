package dev.sigil.auth.login.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals("2001:db8::7", addresses.of("10.0.0.1", "2001:db8::7"));
        // two proxies in a row: the rightmost address that is not a proxy
        assertEquals("203.0.113.7", addresses.of("10.0.0.2", "203.0.113.7, 10.0.0.1"));
    }

    @Test
    void whatTheClientWroteItselfIsNeverUsed() {
        ClientAddress addresses = trusting("10.0.0.1");
        // the client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended what it saw
        assertEquals("203.0.113.7", addresses.of("10.0.0.1", "198.51.100.1, 203.0.113.7"));
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
}
