package io.tokenservice.token;

import java.util.List;
import java.util.Optional;

/**
 * A parsed client_credentials token request, RFC 6749 §4.4.2.
 *
 * @param scopes the requested scopes (OPTIONAL, RFC 6749 §4.4.2); empty means the client's registered scopes
 * @param resources the requested resources (RFC 8707 §2), distinct; empty means the client's whole audience
 * @param clientId client_id from the body (client_secret_post, RFC 6749 §2.3.1)
 * @param clientSecret client_secret from the body (client_secret_post, RFC 6749 §2.3.1)
 * @param clientAssertionType client_assertion_type from the body (RFC 7521 §4.2)
 * @param clientAssertion client_assertion from the body (RFC 7521 §4.2)
 */
public record TokenRequest(Optional<List<String>> scopes, List<String> resources, Optional<String> clientId,
        Optional<String> clientSecret, Optional<String> clientAssertionType, Optional<String> clientAssertion) {
}
