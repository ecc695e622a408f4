package io.tokenservice.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One application for the sender-constrained token tests: an HTTPS listener with a certificate of a test authority
 * (made here, never committed), that authority as the one tls_client_auth certificates chain to, RFC 9440
 * Client-Cert headers read from a proxy at 127.0.0.2 only, and DPoP nonces required.
 */
public class MutualTlsAndDpop implements QuarkusTestProfile {

    public static final Path DIRECTORY = Path.of("target", "pki");
    public static final String PROXY_ADDRESS = "127.0.0.2";
    public static final TestPki AUTHORITY;
    public static final Path AUTHORITY_PEM;
    public static final Path SERVER_PEM;

    static {
        try {
            Files.createDirectories(DIRECTORY);
            AUTHORITY = TestPki.authority("token-service-tests");
            AUTHORITY_PEM = AUTHORITY.writeCertificate(DIRECTORY.resolve("ca.pem"));
            TestPki.Issued server = AUTHORITY.issue("CN=localhost", TestPki.dns("localhost"), TestPki.ip("127.0.0.1"));
            Files.writeString(DIRECTORY.resolve("server.pem"), server.pem());
            PemFiles.write(DIRECTORY, "server-key.pem", "PRIVATE KEY", server.keys().getPrivate());
            SERVER_PEM = server.writeWithKey(DIRECTORY.resolve("server-with-key.pem"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.http.ssl.certificate.files", DIRECTORY.resolve("server.pem").toAbsolutePath().toString(),
                "quarkus.http.ssl.certificate.key-files", DIRECTORY.resolve("server-key.pem").toAbsolutePath().toString(),
                "quarkus.http.test-ssl-port", "0",
                "token-service.mtls.ca-files", AUTHORITY_PEM.toAbsolutePath().toString(),
                "token-service.mtls.proxy-header", "Client-Cert",
                "quarkus.http.proxy.trusted-proxies", PROXY_ADDRESS,
                "token-service.dpop.nonce-required", "true");
    }
}
