package io.tokenservice.exchange;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a token exchange request (RFC 8693 §2.1; draft-ietf-oauth-transaction-tokens §11.1).
 *
 * @param subject subject_token and subject_token_type (REQUIRED)
 * @param actor actor_token and actor_token_type, if any
 * @param requestedTokenType requested_token_type; access_token when not given
 * @param scopes scope, if given
 * @param audiences the audience values, distinct (logical names of target services)
 * @param resources the resource values, distinct (RFC 8707 §2)
 * @param requestContext request_context, a JSON object, for a transaction token's rctx
 * @param requestDetails request_details, a JSON object, for a transaction token's tctx
 */
public record ExchangeRequest(Presented subject, Optional<Presented> actor, String requestedTokenType,
        Optional<List<String>> scopes, List<String> audiences, List<String> resources,
        Optional<Map<String, Object>> requestContext, Optional<Map<String, Object>> requestDetails) {

    /** A token as presented, not yet verified. */
    public record Presented(String token, String type) {
    }

    /** Every target asked for: the audience values, then the resources. */
    public List<String> targets() {
        return java.util.stream.Stream.concat(audiences.stream(), resources.stream()).distinct().toList();
    }
}
