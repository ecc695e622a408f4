package io.tokenservice.client.certificate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        CertificateTrust trust = new CertificateTrust(List.of(ca.certificate()));
        assertFalse(trust.trusts(List.of(TestPki.selfSigned("CN=orders").certificate()), Instant.now()));
        assertFalse(trust.trusts(List.of(TestPki.authority("other-ca").issue("CN=orders").certificate()), Instant.now()));
        // The authority's own certificate presented as a client's is no path.
        assertFalse(trust.trusts(List.of(ca.certificate()), Instant.now()));
    }

    @Test
    void anAuthoritysNameConstraintsBindWhatItIssues() throws Exception {
        TestPki partner = TestPki.constrainedAuthority("partner-ca", "good.example");
        Path file = partner.writeCertificate(Files.createTempFile("partner", ".pem"));
        CertificateTrust trust = new CertificateTrust(CertificateTrust.load(List.of(file)));
        assertTrue(trust.trusts(List.of(partner.issue("CN=a", TestPki.dns("api.good.example")).certificate()), Instant.now()));
        assertFalse(trust.trusts(List.of(partner.issue("CN=a", TestPki.dns("orders.evil.example")).certificate()),
                Instant.now()));
    }

    @Test
    void anExpiredCertificateIsNotTrusted() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        CertificateTrust trust = new CertificateTrust(List.of(ca.certificate()));
        var expired = ca.issue("CN=orders", Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)));
        assertFalse(trust.trusts(List.of(expired.certificate()), Instant.now()));
    }

    @Test
    void withNoAuthorityConfiguredNothingIsTrusted() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        assertFalse(new CertificateTrust(List.of()).trusts(List.of(ca.issue("CN=orders").certificate()), Instant.now()));
    }
}
