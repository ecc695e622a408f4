package io.tokenservice.client;

/**
 * What a request presents to authenticate its client (RFC 6749 §2.3): a secret ({@link ClientCredentials}) or a
 * signed JWT ({@link ClientAssertion}) or its TLS certificate ({@link ClientCertificate}). A request presents exactly
 * one.
 */
public sealed interface ClientAuthentication permits ClientCredentials, ClientAssertion, ClientCertificate {
}
