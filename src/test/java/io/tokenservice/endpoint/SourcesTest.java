package io.tokenservice.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where a request comes from, for the failure budgets. */
class SourcesTest {

    @Test
    void anIpv6SourceIsItsSlash64() {
        assertEquals("2001:db8:0:1:0:0:0:0/64", Sources.ipv6Prefix("2001:db8:0:1:aaaa:bbbb:cccc:dddd"));
        assertEquals(Sources.ipv6Prefix("2001:db8:0:1::1"), Sources.ipv6Prefix("2001:db8:0:1:ffff::2"));
    }
}
