package io.tokenservice.token;

import java.util.Optional;

/**
 * A parsed token request (RFC 6749 §4.4.2, RFC 8693 §2.1): its grant, parameters read and ready to issue once the
 * client is authenticated, and the client's credentials from the body.
 *
 * @param grantType grant_type (REQUIRED)
 * @param issuance what issues the token, its grant's parameters read
 * @param clientId client_id from the body (client_secret_post, RFC 6749 §2.3.1)
 * @param clientSecret client_secret from the body (client_secret_post, RFC 6749 §2.3.1)
 * @param clientAssertionType client_assertion_type from the body (RFC 7521 §4.2)
 * @param clientAssertion client_assertion from the body (RFC 7521 §4.2)
 */
public record TokenRequest(String grantType, Grants.Issuance issuance, Optional<String> clientId,
        Optional<String> clientSecret, Optional<String> clientAssertionType, Optional<String> clientAssertion) {
}
