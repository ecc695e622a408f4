package io.tokenservice.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * The client certificate a request came with: from its own TLS connection, or as a trusted proxy forwarded it. The
 * TLS handshake (ours or the proxy's) proved the caller holds its private key; nothing else about it is trusted yet.
 *
 * @param chain the certificate first, then whatever intermediates came with it
 */
public record PresentedCertificate(List<X509Certificate> chain) {

    public PresentedCertificate {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        chain = List.copyOf(chain);
    }

    /** The client's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** RFC 8705 §3.1 {@code x5t#S256}: base64url of the SHA-256 of the certificate's DER encoding. */
    public String thumbprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For logs: its subject, bounded and printable. */
    public String describe() {
        String subject = certificate().getSubjectX500Principal().getName();
        String bounded = subject.length() > 128 ? subject.substring(0, 128) + "..." : subject;
        return bounded.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
