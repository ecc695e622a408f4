package io.tokenservice.endpoint;

import io.quarkus.runtime.StartupEvent;
import io.tokenservice.client.PresentedCertificate;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.net.IpLiterals;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client certificate a request came with (RFC 8705): the one its own TLS connection presented, or, only when the
 * connection's peer is a trusted proxy ({@code quarkus.http.proxy.trusted-proxies}), the one that proxy forwards in
 * {@code token-service.mtls.proxy-header}:
 * <ul>
 * <li>{@code Client-Cert} (RFC 9440 §2): a structured-field byte sequence, {@code :base64 DER:}, with the optional
 *     {@code Client-Cert-Chain} list of the same;</li>
 * <li>{@code X-Forwarded-Client-Cert} (Envoy), in its sanitizing mode only: one element, the proxy's own, whose
 *     {@code Cert} (URL-encoded PEM) is the client's and {@code Chain} the intermediates (see {@link #fromXfcc}).</li>
 * </ul>
 * No header is read unless configured, nor from any other peer (it counts as no certificate). A header that cannot
 * be read is no certificate either: the client fails to authenticate, as with none.
 */
@ApplicationScoped
public class ClientCertificates {

    /** The most certificates a chain may hold: the client's own and a few intermediates. */
    static final int MAX_CHAIN = 5;
    static final String CLIENT_CERT = "client-cert";
    static final String CLIENT_CERT_CHAIN = "client-cert-chain";
    static final String XFCC = "x-forwarded-client-cert";
    /** The XFCC keys whose values no caller writes: the proxy's own name, and the certificate's hash and bytes. */
    private static final java.util.Set<String> XFCC_KEYS = java.util.Set.of("by", "hash", "cert", "chain");

    private final Optional<String> header;
    private final TrustedProxies proxies;

    @Inject
    ClientCertificates(TokenServiceConfig config,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        this(config.mtls().proxyHeader(), config.mtls().trustedProxies().or(() -> trustedProxies).orElse(List.of()));
    }

    ClientCertificates(Optional<String> header, List<String> trustedProxies) {
        this.header = header.map(name -> name.trim().toLowerCase(Locale.ROOT));
        if (this.header.filter(name -> !name.equals(CLIENT_CERT) && !name.equals(XFCC)).isPresent()) {
            throw new IllegalStateException("token-service.mtls.proxy-header must be Client-Cert (RFC 9440) or "
                    + "X-Forwarded-Client-Cert (Envoy)");
        }
        try {
            this.proxies = TrustedProxies.of(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("token-service.mtls.trusted-proxies: " + e.getMessage()
                    + "; list the proxies' IP addresses or CIDR blocks");
        }
        if (this.header.isPresent() && proxies.isEmpty()) {
            throw new IllegalStateException("token-service.mtls.proxy-header is set but no proxy is trusted: no proxy's "
                    + "header could be believed. List the proxies' addresses in token-service.mtls.trusted-proxies");
        }
    }

    /** Checked at startup, not at the first request. */
    void check(@Observes StartupEvent event) {
        // Constructing the bean ran the checks.
    }

    /**
     * The certificate of this request, if it came with one. From a trusted proxy, only the proxy's header counts:
     * a proxy that reaches the service over mutual TLS presents its own certificate, never the client's.
     */
    public Optional<PresentedCertificate> of(HttpServerRequest request) {
        if (header.isPresent() && fromTrustedProxy(request)) {
            return header.get().equals(CLIENT_CERT)
                    ? fromClientCert(request.headers().getAll(CLIENT_CERT), request.headers().getAll(CLIENT_CERT_CHAIN))
                    : fromXfcc(request.headers().getAll(XFCC));
        }
        return request.isSSL() ? fromTls(request.sslSession()) : Optional.empty();
    }

    private boolean fromTrustedProxy(HttpServerRequest request) {
        SocketAddress peer = request.connection() == null ? request.remoteAddress() : request.connection().remoteAddress();
        Optional<byte[]> address = peer == null || peer.hostAddress() == null ? Optional.empty()
                : IpLiterals.parse(peer.hostAddress());
        return address.isPresent() && proxies.contains(address.get());
    }

    private static Optional<PresentedCertificate> fromTls(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509 && chain.size() < MAX_CHAIN) {
                    chain.add(x509);
                }
            }
            return chain.isEmpty() ? Optional.empty() : Optional.of(new PresentedCertificate(chain));
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
    }

    /** RFC 9440 §2.2: one {@code Client-Cert} line, {@code :base64:}; §2.3: {@code Client-Cert-Chain}, a list of them. */
    static Optional<PresentedCertificate> fromClientCert(List<String> certLines, List<String> chainLines) {
        if (certLines.size() != 1) {
            return Optional.empty();
        }
        List<String> encoded = new ArrayList<>();
        encoded.add(certLines.get(0).trim());
        for (String line : chainLines) {
            for (String member : line.split(",")) {
                encoded.add(member.trim());
            }
        }
        if (encoded.size() > MAX_CHAIN) {
            return Optional.empty();
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (String member : encoded) {
            if (member.length() < 3 || !member.startsWith(":") || !member.endsWith(":")) {
                return Optional.empty();
            }
            try {
                chain.add(der(Base64.getDecoder().decode(member.substring(1, member.length() - 1))));
            } catch (CertificateException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new PresentedCertificate(chain));
    }

    /**
     * Envoy's header, as {@code forward_client_cert_details: SANITIZE_SET} writes it with
     * {@code set_current_client_cert_details: {cert: true, chain: true}}: one line, one element, whose pairs are
     * {@code By}, {@code Hash}, {@code Cert} (URL-encoded PEM) and {@code Chain}, each at most once, values quoted
     * or not. Anything else is no certificate: a second element or line (a caller's, or one a caller's own
     * certificate smuggled in through a name Envoy writes unescaped), a {@code Subject}, {@code URI} or {@code DNS}
     * pair (the text of a certificate's names, which its holder chose), an unknown or repeated key, an unclosed
     * quote.
     */
    static Optional<PresentedCertificate> fromXfcc(List<String> lines) {
        if (lines.size() != 1) {
            return Optional.empty();
        }
        Optional<List<String>> elements = splitOutsideQuotes(lines.get(0), ',');
        if (elements.isEmpty() || elements.get().size() != 1) {
            return Optional.empty();
        }
        Optional<List<String>> pairs = splitOutsideQuotes(elements.get().get(0), ';');
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (String pair : pairs.get()) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            String key = pair.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            if (!XFCC_KEYS.contains(key) || values.put(key, unquoted(pair.substring(equals + 1).trim())) != null) {
                return Optional.empty();
            }
        }
        String cert = values.get("cert");
        String chain = values.get("chain");
        if (cert == null) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>(pem(URLDecoder.decode(cert, StandardCharsets.UTF_8)));
            if (certificates.size() != 1) {
                return Optional.empty();
            }
            if (chain != null) {
                for (X509Certificate member : pem(URLDecoder.decode(chain, StandardCharsets.UTF_8))) {
                    // Envoy's Chain holds the client's certificate first, then the intermediates.
                    if (!member.equals(certificates.get(0))) {
                        certificates.add(member);
                    }
                }
            }
            return certificates.size() > MAX_CHAIN ? Optional.empty() : Optional.of(new PresentedCertificate(certificates));
        } catch (CertificateException | RuntimeException e) {
            // Whatever bytes the header holds: no certificate, never a 5xx.
            return Optional.empty();
        }
    }

    /** The parts of {@code value} between separators outside quotes; empty when a quote or an escape is left open. */
    private static Optional<List<String>> splitOutsideQuotes(String value, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && quoted) {
                if (i + 1 >= value.length()) {
                    return Optional.empty();
                }
                current.append(c).append(value.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            return Optional.empty();
        }
        parts.add(current.toString());
        return Optional.of(parts);
    }

    private static String unquoted(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    private static X509Certificate der(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static List<X509Certificate> pem(String pem) throws CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            certificates.add((X509Certificate) certificate);
            if (certificates.size() > MAX_CHAIN) {
                break;
            }
        }
        return certificates;
    }
}
