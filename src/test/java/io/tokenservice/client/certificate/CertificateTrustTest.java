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
    void anIntermediateAuthorityWorksAloneWithItsRootOrAsTheChainsOwn() throws Exception {
        TestPki root = TestPki.authority("root-ca");
        TestPki issuing = root.intermediate("issuing-ca");
        var client = issuing.issue("CN=orders").certificate();
        assertTrue(new CertificateTrust(List.of(issuing.certificate())).trusts(List.of(client), Instant.now()));
        assertTrue(new CertificateTrust(List.of(issuing.certificate(), root.certificate())).trusts(List.of(client),
                Instant.now()));
        assertTrue(new CertificateTrust(List.of(root.certificate())).trusts(List.of(client, issuing.certificate()),
                Instant.now()));
        assertFalse(new CertificateTrust(List.of(root.certificate())).trusts(List.of(client), Instant.now()));
    }

    @Test
    void aRootsNameConstraintsBindItsConfiguredIntermediateToo() throws Exception {
        TestPki partner = TestPki.constrainedAuthority("partner-ca", "good.example");
        // Not a DNS-like CN: the JDK checks a CN that reads as a DNS name against DNS constraints too.
        TestPki issuing = partner.intermediate("Partner Issuing CA");
        CertificateTrust trust = new CertificateTrust(List.of(issuing.certificate(), partner.certificate()));
        assertTrue(trust.trusts(List.of(issuing.issue("CN=a", TestPki.dns("api.good.example")).certificate()), Instant.now()));
        assertFalse(trust.trusts(List.of(issuing.issue("CN=a", TestPki.dns("orders.evil.example")).certificate()),
                Instant.now()));
    }

    @Test
    void anAuthorityPresentedAsTheClientsCertificateIsNot() throws Exception {
        TestPki root = TestPki.authority("root-ca");
        TestPki issuing = root.intermediate("issuing-ca");
        CertificateTrust trust = new CertificateTrust(List.of(root.certificate()));
        // A CA certificate is no client's, configured or not, wherever the chain puts the client's own.
        assertFalse(trust.trusts(List.of(issuing.certificate()), Instant.now()));
        assertFalse(trust.trusts(List.of(root.certificate(), issuing.issue("CN=orders").certificate(),
                issuing.certificate()), Instant.now()));
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
