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
import java.util.ArrayList;
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
    private static final String NAME_CONSTRAINTS = "2.5.29.30";
    /** How many configured authorities a path may climb through above the client's own chain. */
    private static final int MAX_AUTHORITIES_IN_PATH = 4;

    private final List<X509Certificate> authorities;

    @Inject
    CertificateTrust(TokenServiceConfig config) {
        this(load(config.mtls().caFiles().orElse(List.of())));
    }

    CertificateTrust(List<X509Certificate> authorities) {
        this.authorities = List.copyOf(authorities);
    }

    /** The authorities of these PEM files; refuses to start on a file that holds none or cannot be read. */
    static List<X509Certificate> load(List<Path> files) {
        List<X509Certificate> authorities = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw new IllegalStateException("token-service.mtls.ca-files: " + file + " holds no certificate");
                }
                certificates.forEach(certificate -> authorities.add((X509Certificate) certificate));
            } catch (IOException | CertificateException e) {
                throw new IllegalStateException("token-service.mtls.ca-files: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        for (X509Certificate authority : authorities) {
            if (!selfIssued(authority) && authority.getExtensionValue(NAME_CONSTRAINTS) != null
                    && !issuerConfigured(authority, authorities)) {
                throw new IllegalStateException("token-service.mtls.ca-files: " + authority.getSubjectX500Principal()
                        + " has name constraints, which apply only when its issuer is configured too: add it");
            }
        }
        return authorities;
    }

    /**
     * Whether {@code chain} (the client's certificate first, then what intermediates came with it) is trusted at
     * {@code at}. The client's certificate is an end entity (no CA, no configured authority) for TLS client
     * authentication. The path climbs from it through the configured authorities to a self-issued one, which is
     * anchored by its name and key alone while its certificate closes the path: so PKIX applies every authority's
     * name constraints (RFC 5280 §4.2.1.10; the JDK ignores those of an anchor certificate) and validity, and a
     * partner CA limited to its names cannot issue a certificate in another's. An intermediate configured without its
     * root is the anchor itself (it may carry no name constraints: {@link #load} refuses that).
     */
    public boolean trusts(List<X509Certificate> chain, Instant at) {
        X509Certificate client = chain.get(0);
        if (authorities.isEmpty() || authorities.contains(client) || client.getBasicConstraints() != -1
                || !forClientAuthentication(client)) {
            return false;
        }
        // The client's certificate and intermediates, never an authority itself.
        List<X509Certificate> path = new ArrayList<>(chain.stream().filter(certificate -> !authorities.contains(certificate))
                .toList());
        return climb(path, at, 0);
    }

    private boolean climb(List<X509Certificate> path, Instant at, int depth) {
        X509Certificate top = path.get(path.size() - 1);
        for (X509Certificate authority : authorities) {
            if (!authority.getSubjectX500Principal().equals(top.getIssuerX500Principal()) || path.contains(authority)) {
                continue;
            }
            List<X509Certificate> extended = new ArrayList<>(path);
            extended.add(authority);
            if (selfIssued(authority)) {
                if (valid(extended, new TrustAnchor(authority.getSubjectX500Principal(), authority.getPublicKey(), null), at)) {
                    return true;
                }
            } else if (depth < MAX_AUTHORITIES_IN_PATH && climb(extended, at, depth + 1)) {
                return true;
            } else if (!issuerConfigured(authority) && valid(path, new TrustAnchor(authority, null), at)) {
                // An intermediate configured without its issuer (and so, by load, without name constraints) anchors
                // itself; with its issuer configured, only the climb counts, so every constraint above applies.
                return true;
            }
        }
        return false;
    }

    private boolean issuerConfigured(X509Certificate authority) {
        return issuerConfigured(authority, authorities);
    }

    private static boolean issuerConfigured(X509Certificate authority, List<X509Certificate> authorities) {
        return authorities.stream().anyMatch(other -> other != authority
                && other.getSubjectX500Principal().equals(authority.getIssuerX500Principal()));
    }

    private static boolean selfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static boolean valid(List<X509Certificate> path, TrustAnchor anchor, Instant at) {
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    parameters);
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
