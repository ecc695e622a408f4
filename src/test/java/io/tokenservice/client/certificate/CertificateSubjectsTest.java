package io.tokenservice.client.certificate;

import static io.tokenservice.testing.TestPki.dns;
import static io.tokenservice.testing.TestPki.ip;
import static io.tokenservice.testing.TestPki.uri;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.client.TlsClientAuthSubject;
import io.tokenservice.client.TlsClientAuthSubject.Kind;
import io.tokenservice.testing.TestPki;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateSubjectsTest {

    static X509Certificate certificate;

    @BeforeAll
    static void issue() throws Exception {
        certificate = TestPki.authority("mesh-ca").issue("CN=orders,OU=shop,O=Example", dns("orders.shop.svc"),
                uri("spiffe://example.org/ns/shop/sa/orders"), ip("10.1.2.3"), ip("2001:db8::7")).certificate();
    }

    private static boolean matches(Kind kind, String value) {
        return CertificateSubjects.matches(new TlsClientAuthSubject(kind, value), certificate);
    }

    @Test
    void theSubjectDnMatchesAsAnX500NameWhateverItsSpacingAndCase() {
        assertTrue(matches(Kind.SUBJECT_DN, "CN=orders,OU=shop,O=Example"));
        assertTrue(matches(Kind.SUBJECT_DN, "cn=Orders, ou=SHOP, o=example"));
        assertFalse(matches(Kind.SUBJECT_DN, "CN=orders,OU=shop,O=Other"));
        assertFalse(matches(Kind.SUBJECT_DN, "CN=orders"));
    }

    @Test
    void aDnsNameMatchesCaseAside() {
        assertTrue(matches(Kind.SAN_DNS, "ORDERS.shop.svc"));
        assertFalse(matches(Kind.SAN_DNS, "payments.shop.svc"));
    }

    @Test
    void aUriMatchesExactlyOnly() {
        assertTrue(matches(Kind.SAN_URI, "spiffe://example.org/ns/shop/sa/orders"));
        assertFalse(matches(Kind.SAN_URI, "spiffe://example.org/ns/shop/sa/order"));
        assertFalse(matches(Kind.SAN_URI, "SPIFFE://example.org/ns/shop/sa/orders/x"));
    }

    @Test
    void anIpAddressMatchesAsBytesHoweverWritten() {
        assertTrue(matches(Kind.SAN_IP, "10.1.2.3"));
        assertTrue(matches(Kind.SAN_IP, "2001:0db8:0:0:0:0:0:7"));
        assertFalse(matches(Kind.SAN_IP, "10.1.2.4"));
        assertFalse(matches(Kind.SAN_IP, "orders.shop.svc"));
    }

    @Test
    void whatLooksLikeAnIpLiteralButIsNoneIsRefusedWithoutALookup() {
        // ".:" and the like pass a character check; in brackets InetAddress refuses them instead of asking DNS.
        for (String notAnAddress : java.util.List.of(".:", ".1:2", "999.1.1.1", "1.2.3", "::g")) {
            org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.empty(), io.tokenservice.net.IpLiterals.parse(notAnAddress),
                    notAnAddress);
        }
        org.junit.jupiter.api.Assertions.assertEquals(16, io.tokenservice.net.IpLiterals.parse("2001:db8::7").orElseThrow().length);
    }

    @Test
    void aValueOfAnotherKindDoesNotMatch() {
        // The DNS name is no subject DN, and the URI no DNS name.
        assertFalse(matches(Kind.SUBJECT_DN, "CN=orders.shop.svc"));
        assertFalse(matches(Kind.SAN_DNS, "spiffe://example.org/ns/shop/sa/orders"));
    }
}
