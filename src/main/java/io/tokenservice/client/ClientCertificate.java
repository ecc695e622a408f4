package io.tokenservice.client;

/**
 * A client that authenticates with the certificate of its TLS connection (RFC 8705 §2): the form's
 * {@code client_id} (REQUIRED, §2) names it, and no other credentials come with it.
 *
 * @param clientId the client_id the request names
 * @param certificate the certificate the request came with
 */
public record ClientCertificate(String clientId, PresentedCertificate certificate) implements ClientAuthentication {
}
