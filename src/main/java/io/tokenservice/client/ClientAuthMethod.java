package io.tokenservice.client;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.Optional;

/** How a client authenticates at the token endpoint (RFC 7591 §2 {@code token_endpoint_auth_method}). */
public enum ClientAuthMethod {
    /** HTTP Basic with client_id and client_secret, RFC 6749 §2.3.1. */
    CLIENT_SECRET_BASIC("client_secret_basic"),
    /** client_id and client_secret in the form body, RFC 6749 §2.3.1; NOT RECOMMENDED, opt-in per client. */
    CLIENT_SECRET_POST("client_secret_post"),
    /** A JWT the client signs with a key of its registered set, RFC 7523 §2.2 and OpenID Connect Core §9; no secret. */
    PRIVATE_KEY_JWT("private_key_jwt"),
    /**
     * A token of a trusted issuer (a Kubernetes service-account token, a SPIFFE JWT-SVID) whose subject is
     * registered for the client; no secret, no keys of its own.
     */
    FEDERATED_JWT("federated_jwt"),
    /**
     * Mutual TLS with a certificate of a trusted CA whose subject DN, or a DNS, URI or IP subject alternative name, is
     * the one the client registered (RFC 8705 §2.1); no secret.
     */
    TLS_CLIENT_AUTH("tls_client_auth"),
    /** Mutual TLS with a certificate whose public key is in the client's key set (RFC 8705 §2.2); no secret. */
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Whether a client of this method has a secret (and no keys). */
    public boolean usesSecret() {
        return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
    }

    /** Whether a client of this method registers a key set ({@code jwks} or {@code jwks_uri}). */
    public boolean usesKeys() {
        return this == PRIVATE_KEY_JWT || this == SELF_SIGNED_TLS_CLIENT_AUTH;
    }

    /** Whether a client of this method authenticates with the certificate of its TLS connection (RFC 8705). */
    public boolean usesCertificate() {
        return this == TLS_CLIENT_AUTH || this == SELF_SIGNED_TLS_CLIENT_AUTH;
    }

    public static Optional<ClientAuthMethod> fromValue(String value) {
        return Arrays.stream(values()).filter(method -> method.value.equals(value)).findFirst();
    }

    /** Stores the RFC 7591 name, so the table reads the way the API does. */
    @Converter(autoApply = true)
    public static final class DatabaseColumn implements AttributeConverter<ClientAuthMethod, String> {
        @Override
        public String convertToDatabaseColumn(ClientAuthMethod method) {
            return method == null ? null : method.value;
        }

        @Override
        public ClientAuthMethod convertToEntityAttribute(String value) {
            return value == null ? null : fromValue(value)
                    .orElseThrow(() -> new IllegalStateException("unknown token_endpoint_auth_method in database"));
        }
    }
}
