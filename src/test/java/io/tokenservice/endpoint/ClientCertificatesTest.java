package io.tokenservice.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.TestPki;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientCertificatesTest {

    static X509Certificate client;
    static X509Certificate other;

    @BeforeAll
    static void issue() throws Exception {
        TestPki ca = TestPki.authority("mesh-ca");
        client = ca.issue("CN=orders").certificate();
        other = ca.issue("CN=gateway").certificate();
    }

    private static String structured(X509Certificate certificate) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
    }

    private static String urlEncodedPem(X509Certificate certificate) {
        return URLEncoder.encode(TestPki.pem(certificate), StandardCharsets.UTF_8);
    }

    @Test
    void clientCertIsAStructuredFieldByteSequence() throws Exception {
        var read = ClientCertificates.fromClientCert(List.of(structured(client)), List.of());
        assertEquals(client, read.orElseThrow().certificate());
    }

    @Test
    void clientCertChainAddsTheIntermediates() throws Exception {
        var read = ClientCertificates.fromClientCert(List.of(structured(client)), List.of(structured(other)));
        assertEquals(List.of(client, other), read.orElseThrow().chain());
    }

    @Test
    void aClientCertThatIsNoByteSequenceOrNoCertificateIsNone() {
        assertTrue(ClientCertificates.fromClientCert(List.of("bm90IGEgY2VydA=="), List.of()).isEmpty());
        assertTrue(ClientCertificates.fromClientCert(List.of(":bm90IGEgY2VydA==:"), List.of()).isEmpty());
        assertTrue(ClientCertificates.fromClientCert(List.of(), List.of()).isEmpty());
    }

    @Test
    void twoClientCertLinesAreNone() throws Exception {
        assertTrue(ClientCertificates.fromClientCert(List.of(structured(client), structured(other)), List.of()).isEmpty());
    }

    @Test
    void xfccIsTheProxysOneElementWithTheCertificate() {
        String header = "By=spiffe://example.org/token;Hash=abc;Cert=\"" + urlEncodedPem(client) + "\"";
        assertEquals(client, ClientCertificates.fromXfcc(List.of(header)).orElseThrow().certificate());
    }

    @Test
    void xfccWithAnElementBeforeTheProxysIsNone() {
        // APPEND_FORWARD: the first element is what the caller (or an earlier hop) wrote. Not read at all.
        String header = "Cert=\"" + urlEncodedPem(other) + "\",By=spiffe://example.org/token;Cert=\"" + urlEncodedPem(client) + "\"";
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(header)));
    }

    @Test
    void aCertificateNameCannotSmuggleAnotherCertIn() {
        // Envoy writes a certificate's URI SAN unescaped: a name like "spiffe://x,Cert=<victim>" would end Envoy's
        // element and start one of the caller's making, or ";Cert=" repeat the key.
        String byTheCallersName = "By=spiffe://example.org/token;Cert=\"" + urlEncodedPem(other) + "\";URI=spiffe://x,Cert="
                + urlEncodedPem(client);
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(byTheCallersName)));
        String repeated = "By=spiffe://example.org/token;Cert=\"" + urlEncodedPem(other) + "\";URI=spiffe://x;Cert="
                + urlEncodedPem(client);
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(repeated)));
    }

    @Test
    void xfccWithTheCertificatesNamesIsNone() {
        // Subject, URI and DNS are text a certificate's holder chose: set_current_client_cert_details cert and chain only.
        String header = "Hash=abc;Cert=\"" + urlEncodedPem(client) + "\";Subject=\"CN=orders\"";
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(header)));
    }

    @Test
    void xfccWithoutACertIsNone() {
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of("By=spiffe://example.org/token;Hash=abc")));
    }

    @Test
    void xfccChainAddsTheIntermediatesButNotTheCertificateAgain() {
        String chain = URLEncoder.encode(TestPki.pem(client) + TestPki.pem(other), StandardCharsets.UTF_8);
        String header = "Cert=\"" + urlEncodedPem(client) + "\";Chain=\"" + chain + "\"";
        assertEquals(List.of(client, other), ClientCertificates.fromXfcc(List.of(header)).orElseThrow().chain());
    }

    @Test
    void aCallersOpenQuoteCannotSwallowTheElementTheProxyAppends() {
        // The caller writes an element naming the victim's certificate and leaves a quote open; Envoy appends its own
        // element for the caller's real certificate after a comma, which the open quote would otherwise swallow.
        String callers = "Cert=\"" + urlEncodedPem(client) + "\";Hash=\"";
        String envoys = "By=spiffe://example.org/token;Hash=abc;Cert=\"" + urlEncodedPem(other) + "\"";
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(callers + "," + envoys)));
        String escaped = "Cert=\"" + urlEncodedPem(client) + "\";Hash=\"x\\";
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(escaped + "," + envoys)));
        // Nor across lines: one line only.
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of(callers, envoys)));
    }

    @Test
    void anXfccPairWithoutAValueIsNone() {
        assertEquals(Optional.empty(), ClientCertificates.fromXfcc(List.of("Cert=\"" + urlEncodedPem(client) + "\";junk")));
    }

    @Test
    void aProxyHeaderWithoutTrustedProxiesRefusesToStart() {
        assertThrows(IllegalStateException.class, () -> new ClientCertificates(Optional.of("Client-Cert"), List.of()));
        assertThrows(IllegalStateException.class, () -> new ClientCertificates(Optional.of("X-Client-Cert"),
                List.of("10.0.0.1")));
    }
}
