package io.tokenservice.client;

import java.util.Optional;

/**
 * A client assertion a request presents (RFC 7521 §4.2, RFC 7523 §2.2): {@code client_assertion} of type
 * {@code urn:ietf:params:oauth:client-assertion-type:jwt-bearer}, and the optional {@code client_id}, which must
 * then name the assertion's client.
 *
 * @param jwt the compact JWS, not yet verified
 */
public record ClientAssertion(Optional<String> clientId, String jwt) implements ClientAuthentication {

    /** RFC 7523 §2.2: the client_assertion_type of a JWT client assertion. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
}
