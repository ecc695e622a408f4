package io.tokenservice.client.certificate;

import io.tokenservice.client.TlsClientAuthSubject;
import io.tokenservice.net.IpLiterals;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a certificate carries what a tls_client_auth client registered (RFC 8705 §2.1.2): its subject DN, compared
 * as X.500 names (RFC 4514 strings in any spacing or case the comparison rules allow), or one subject alternative
 * name of the registered kind: a DNS name (case aside), a URI (exactly), an IP address (as bytes).
 */
public final class CertificateSubjects {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    private CertificateSubjects() {
    }

    /** Whether {@code certificate} carries {@code registered}. */
    public static boolean matches(TlsClientAuthSubject registered, X509Certificate certificate) {
        return switch (registered.kind()) {
            case SUBJECT_DN -> subjectDn(registered.value()).map(certificate.getSubjectX500Principal()::equals).orElse(false);
            case SAN_DNS -> names(certificate, SAN_DNS).stream().anyMatch(registered.value()::equalsIgnoreCase);
            case SAN_URI -> names(certificate, SAN_URI).contains(registered.value());
            case SAN_IP -> {
                Optional<byte[]> expected = IpLiterals.parse(registered.value());
                yield expected.isPresent() && names(certificate, SAN_IP).stream().map(IpLiterals::parse)
                        .flatMap(Optional::stream).anyMatch(address -> java.util.Arrays.equals(address, expected.get()));
            }
        };
    }

    /** The RFC 4514 string as an X.500 name; empty when it is none. */
    public static Optional<X500Principal> subjectDn(String rfc4514) {
        try {
            return Optional.of(new X500Principal(rfc4514));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A DNS name as registered: letters, digits, '-', '.', at most 253 characters, compared case aside. */
    public static boolean isDnsName(String name) {
        return name.length() <= 253 && name.toLowerCase(Locale.ROOT).matches("[a-z0-9*]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    }

    private static List<String> names(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(name -> name.size() >= 2 && Integer.valueOf(type).equals(name.get(0)))
                    .map(name -> name.get(1)).filter(String.class::isInstance).map(String.class::cast).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
