package io.tokenservice.endpoint;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTPS listener asks every client for a certificate and takes whichever it is given (RFC 8705 §2: the
 * handshake proves the client holds its key; a self-signed client's certificate chains to nothing), or none: which
 * certificate authenticates which client, and which chains are trusted, the service decides per request
 * ({@code client.certificate.CertificateTrust}, {@code token-service.mtls.ca-files}), whether the certificate came
 * over this listener or from a proxy. A caller without a certificate connects as before. A listener configured to
 * require certificates of a trust store ({@code quarkus.http.ssl.client-auth=required}, a trust-store file) refuses to
 * start rather than have that setting silently replaced.
 */
@ApplicationScoped
public class ClientCertificateListener implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        boolean required = config.getOptionalValue("quarkus.http.ssl.client-auth", String.class)
                .filter("required"::equalsIgnoreCase).isPresent();
        // A trust store of the listener's own settings, or of the TLS registry configuration it uses (named or default).
        String registry = config.getOptionalValue("quarkus.http.tls-configuration-name", String.class)
                .map(name -> "quarkus.tls." + name + ".trust-store.").orElse("quarkus.tls.trust-store.");
        boolean trustStore = config.getOptionalValue("quarkus.http.ssl.certificate.trust-store-file", String.class).isPresent()
                || config.getOptionalValue("quarkus.http.ssl.certificate.trust-store-files", String.class).isPresent()
                || java.util.stream.StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                        .filter(name -> name.startsWith(registry) && (name.endsWith(".path") || name.endsWith(".certs")))
                        .anyMatch(name -> config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isPresent());
        if (required || trustStore) {
            // Gating the listener on a trust store would be silently replaced here: refuse instead.
            throw new IllegalStateException("quarkus.http.ssl.client-auth=required and an HTTPS trust store are not "
                    + "used: the listener asks every client for a certificate and the service judges it per request. "
                    + "Name the authorities in token-service.mtls.ca-files and remove those settings");
        }
        options.setClientAuth(ClientAuth.REQUEST);
        options.setTrustOptions(TrustOptions.wrap(new AnyClientCertificate()));
    }

    /** Accepts any client certificate the handshake proved possession of; trusts no server (none is asked). */
    static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Judged per request by the service.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Judged per request by the service.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Judged per request by the service.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("The listener trusts no server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("The listener trusts no server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("The listener trusts no server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // An empty list of authorities in the CertificateRequest: the client sends whichever certificate it has.
            return new X509Certificate[0];
        }
    }
}
