package io.tokenservice.client;

import java.util.Optional;

/**
 * What a tls_client_auth client's certificate must carry (RFC 8705 §2.1.2): exactly one registered value, the
 * subject DN or one subject alternative name of a kind.
 *
 * @param kind which of the four metadata values it is
 * @param value as registered
 */
public record TlsClientAuthSubject(Kind kind, String value) {

    /** The RFC 8705 §2.1.2 metadata values. */
    public enum Kind {
        SUBJECT_DN("tls_client_auth_subject_dn"),
        SAN_DNS("tls_client_auth_san_dns"),
        SAN_URI("tls_client_auth_san_uri"),
        SAN_IP("tls_client_auth_san_ip");

        private final String metadata;

        Kind(String metadata) {
            this.metadata = metadata;
        }

        /** Its client metadata name. */
        public String metadata() {
            return metadata;
        }
    }

    static Optional<TlsClientAuthSubject> of(RegisteredClient client) {
        if (client.tlsClientAuthSubjectDn != null) {
            return Optional.of(new TlsClientAuthSubject(Kind.SUBJECT_DN, client.tlsClientAuthSubjectDn));
        } else if (client.tlsClientAuthSanDns != null) {
            return Optional.of(new TlsClientAuthSubject(Kind.SAN_DNS, client.tlsClientAuthSanDns));
        } else if (client.tlsClientAuthSanUri != null) {
            return Optional.of(new TlsClientAuthSubject(Kind.SAN_URI, client.tlsClientAuthSanUri));
        } else if (client.tlsClientAuthSanIp != null) {
            return Optional.of(new TlsClientAuthSubject(Kind.SAN_IP, client.tlsClientAuthSanIp));
        }
        return Optional.empty();
    }
}
