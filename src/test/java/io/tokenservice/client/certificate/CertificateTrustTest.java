package io.tokenservice.client.certificate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateTrustTest {

    @Test
    void aCertificateOfAConfiguredAuthorityIsTrusted() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        Path file = ca.writeCertificate(Files.createTempFile("ca", ".pem"));
        CertificateTrust trust = new CertificateTrust(CertificateTrust.load(List.of(file)));
        assertTrue(trust.trusts(List.of(ca.issue("CN=orders").certificate()), Instant.now()));
    }

    @Test
    void aSelfSignedCertificateOrOneOfAnotherAuthorityIsNot() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        CertificateTrust trust = new CertificateTrust(Set.of(new TrustAnchor(ca.certificate(), null)));
        assertFalse(trust.trusts(List.of(TestPki.selfSigned("CN=orders").certificate()), Instant.now()));
        assertFalse(trust.trusts(List.of(TestPki.authority("other-ca").issue("CN=orders").certificate()), Instant.now()));
        // The authority's own certificate presented as a client's is no path.
        assertFalse(trust.trusts(List.of(ca.certificate()), Instant.now()));
    }

    @Test
    void anExpiredCertificateIsNotTrusted() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        CertificateTrust trust = new CertificateTrust(Set.of(new TrustAnchor(ca.certificate(), null)));
        var expired = ca.issue("CN=orders", Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)));
        assertFalse(trust.trusts(List.of(expired.certificate()), Instant.now()));
    }

    @Test
    void withNoAuthorityConfiguredNothingIsTrusted() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        assertFalse(new CertificateTrust(Set.of()).trusts(List.of(ca.issue("CN=orders").certificate()), Instant.now()));
    }
}
