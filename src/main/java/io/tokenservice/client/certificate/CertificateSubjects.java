package io.tokenservice.client.certificate;

import io.tokenservice.client.TlsClientAuthSubject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
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
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    private CertificateSubjects() {
    }

    /** Whether {@code certificate} carries {@code registered}. */
    public static boolean matches(TlsClientAuthSubject registered, X509Certificate certificate) {
        return switch (registered.kind()) {
            case SUBJECT_DN -> subjectDn(registered.value()).map(certificate.getSubjectX500Principal()::equals).orElse(false);
            case SAN_DNS -> names(certificate, SAN_DNS).stream().anyMatch(registered.value()::equalsIgnoreCase);
            case SAN_URI -> names(certificate, SAN_URI).contains(registered.value());
            case SAN_IP -> {
                Optional<byte[]> expected = ipAddress(registered.value());
                yield expected.isPresent() && names(certificate, SAN_IP).stream().map(CertificateSubjects::ipAddress)
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

    /** An IPv4 or IPv6 literal's bytes; empty for anything else (never a name lookup). */
    public static Optional<byte[]> ipAddress(String literal) {
        if (!IP_LITERAL.matcher(literal).matches()) {
            return Optional.empty();
        }
        if (literal.indexOf(':') < 0) {
            // Dotted-quad IPv4, each part 0 to 255, parsed here: InetAddress would look up what it cannot parse.
            String[] parts = literal.split("\\.", -1);
            if (parts.length != 4) {
                return Optional.empty();
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return Optional.of(bytes);
        }
        try {
            // In brackets InetAddress takes it for an IPv6 literal only: parsed or refused, never looked up.
            return Optional.of(InetAddress.getByName("[" + literal + "]").getAddress());
        } catch (UnknownHostException e) {
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
