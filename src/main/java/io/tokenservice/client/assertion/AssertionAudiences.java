package io.tokenservice.client.assertion;

import java.util.Set;

/**
 * The audiences a client assertion may name (RFC 7523 §3 item 3: the authorization server's token endpoint URL,
 * or its issuer identifier as RFC 7521 §5 allows): the issuer and the URLs of the endpoints that authenticate
 * clients. Produced where those URLs are known ({@code endpoint.AssertionAudiencesProducer}).
 */
public record AssertionAudiences(Set<String> values) {
}
