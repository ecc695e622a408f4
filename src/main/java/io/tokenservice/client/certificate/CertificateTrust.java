package io.tokenservice.client.certificate;

import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a tls_client_auth client's certificate chains to a certificate authority of
 * {@code token-service.mtls.ca-files} (RFC 8705 §2.1: the PKI method), checked here for every path a certificate
 * comes by (the listener accepts any certificate, so that self-signed clients can connect too; a proxy may have
 * passed one through): PKIX at the time of the request, with the intermediates the client sent, no revocation
 * lookup (that would be a network call on the request path), and, when the certificate names its extended key
 * usages, TLS client authentication among them. No CAs configured: no chain is trusted.
 */
@ApplicationScoped
public class CertificateTrust {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;

    @Inject
    CertificateTrust(TokenServiceConfig config) {
        this(load(config.mtls().caFiles().orElse(List.of())));
    }

    CertificateTrust(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
    }

    /** The authorities of these PEM files; refuses to start on a file that holds none or cannot be read. */
    static Set<TrustAnchor> load(List<Path> files) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw new IllegalStateException("token-service.mtls.ca-files: " + file + " holds no certificate");
                }
                certificates.forEach(certificate -> anchors.add(new TrustAnchor((X509Certificate) certificate, null)));
            } catch (IOException | CertificateException e) {
                throw new IllegalStateException("token-service.mtls.ca-files: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return anchors;
    }

    /** Whether {@code chain} (the certificate first) is trusted at {@code at}. */
    public boolean trusts(List<X509Certificate> chain, Instant at) {
        if (anchors.isEmpty() || !forClientAuthentication(chain.get(0))) {
            return false;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            // The path is the certificate and its intermediates, never the anchor itself.
            List<X509Certificate> path = chain.stream()
                    .filter(certificate -> anchors.stream().noneMatch(anchor -> anchor.getTrustedCert().equals(certificate)))
                    .toList();
            if (path.isEmpty()) {
                return false;
            }
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean forClientAuthentication(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }
}
