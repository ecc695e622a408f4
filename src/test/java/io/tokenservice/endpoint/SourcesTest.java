package io.tokenservice.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a request comes from, for the failure budgets (issue 18, point 3): the peer, or from a trusted proxy the
 * rightmost forwarded entry that is not a trusted proxy, across every header line; never what the client wrote.
 */
class SourcesTest {

    static final Sources BEHIND_PROXIES = new Sources(true, false, true, List.of("10.0.0.0/8", "192.0.2.1"), 64);
    static final Sources STANDARD_HEADER = new Sources(true, true, false, List.of("10.0.0.0/8"), 64);
    static final Sources DIRECT = new Sources(false, false, true, List.of(), 64);

    @Test
    void withoutForwardingTheSourceIsThePeerWhateverTheHeadersSay() {
        assertEquals("203.0.113.7", DIRECT.of("203.0.113.7", List.of(), List.of("198.51.100.1")));
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsTheSourceWhateverItForwards() {
        assertEquals("203.0.113.7", BEHIND_PROXIES.of("203.0.113.7", List.of(), List.of("198.51.100.1")));
    }

    @Test
    void behindATrustedProxyTheSourceIsTheEntryItAppendedNotTheOneTheClientWrote() {
        // HAProxy option forwardfor adds a line of its own after the client's.
        assertEquals("203.0.113.7", BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of("198.51.100.1", "203.0.113.7")));
        // nginx $proxy_add_x_forwarded_for appends to the client's line.
        assertEquals("203.0.113.7", BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of("198.51.100.1, 203.0.113.7")));
    }

    @Test
    void trustedProxiesInTheChainAreSkippedFromTheRight() {
        assertEquals("203.0.113.7", BEHIND_PROXIES.of("10.1.2.3", List.of(),
                List.of("6.6.6.6, 203.0.113.7, 192.0.2.1", "10.9.9.9")));
    }

    @Test
    void whenEveryEntryIsATrustedProxyTheLeftmostIsTheSource() {
        assertEquals("10.0.0.5", BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of("10.0.0.5, 10.0.0.6")));
    }

    @Test
    void aTrustedProxyThatForwardsNothingIsItselfTheSource() {
        assertEquals("10.1.2.3", BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of()));
    }

    @Test
    void aForwardedEntryThatIsNoAddressIsABoundedIdentifier() {
        String source = BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of("x".repeat(500)));
        assertTrue(source.startsWith("id:") && source.length() <= 3 + Sources.MAX_IDENTIFIER_LENGTH, source);
    }

    @Test
    void theStandardForwardedHeaderIsReadTheSameWay() {
        assertEquals("2001:db8:cafe:0:0:0:0:0/64", STANDARD_HEADER.of("10.1.2.3",
                List.of("for=198.51.100.1;proto=https", "for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1"), List.of()));
        assertEquals("203.0.113.7", STANDARD_HEADER.of("10.1.2.3",
                List.of("for=198.51.100.1, For=203.0.113.7:8080, for=10.0.0.9"), List.of("198.51.100.99")));
        // X-Forwarded-For is not allowed in this configuration: a client's line of it counts for nothing.
        assertEquals("10.1.2.3", STANDARD_HEADER.of("10.1.2.3", List.of(), List.of("198.51.100.99")));
    }

    @Test
    void anIpv6SourceIsItsPrefixOfTheConfiguredLength() {
        assertEquals("2001:db8:0:1:0:0:0:0/64", DIRECT.of("2001:db8:0:1:aaaa:bbbb:cccc:dddd", List.of(), List.of()));
        assertEquals(DIRECT.of("2001:db8:0:1::1", List.of(), List.of()), DIRECT.of("2001:db8:0:1:ffff::2", List.of(), List.of()));
        Sources perAddress = new Sources(false, false, true, List.of(), 128);
        assertEquals("2001:db8:0:1:0:0:0:1/128", perAddress.of("2001:db8:0:1::1", List.of(), List.of()));
        Sources per56 = new Sources(false, false, true, List.of(), 56);
        assertEquals("2001:db8:0:100:0:0:0:0/56", per56.of("2001:db8:0:1ff::1", List.of(), List.of()));
    }

    @Test
    void forwardingWithoutTrustedProxiesRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new Sources(true, false, true, List.of(), 64));
        assertTrue(refused.getMessage().contains("quarkus.http.proxy.trusted-proxies is empty"), refused.getMessage());
    }

    @Test
    void bothHeadersAllowedRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new Sources(true, true, true, List.of("10.0.0.0/8"), 64));
        assertTrue(refused.getMessage().contains("both on"), refused.getMessage());
    }

    @Test
    void anAddressIsOneSourceHoweverItIsWritten() {
        assertEquals("203.0.113.7", BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of("203.0.113.007")));
        assertEquals("203.0.113.7", BEHIND_PROXIES.of("10.1.2.3", List.of(), List.of("::ffff:203.0.113.7")));
        assertEquals("203.0.113.7", DIRECT.of("::ffff:203.0.113.7", List.of(), List.of()));
    }

    @Test
    void trustedProxiesAreAddressesOrBlocksNeverNames() {
        assertThrows(IllegalStateException.class, () -> new Sources(true, false, true, List.of("0.0.0.0/0"), 64));
        assertThrows(IllegalStateException.class, () -> new Sources(true, false, true, List.of("::/0"), 64));
        assertThrows(IllegalStateException.class, () -> new Sources(true, false, true, List.of("lb.internal"), 64));
        assertThrows(IllegalStateException.class, () -> new Sources(true, false, true, List.of("10.0.0.1:8080"), 64));
        assertThrows(IllegalStateException.class, () -> new Sources(true, false, true, List.of("10.0.0.0/33"), 64));
        new Sources(true, false, true, List.of("[::1]", "fd00::/8", "127.0.0.1"), 64);
    }
}
