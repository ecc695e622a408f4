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
 * over this listener or from a proxy. A caller without a certificate connects as before.
 */
@ApplicationScoped
public class ClientCertificateListener implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
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
