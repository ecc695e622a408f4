package io.tokenservice.exchange;

import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.token.AccessGrant;
import io.tokenservice.token.AccessTokenVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a transaction token (draft-ietf-oauth-transaction-tokens, -10) a client gets for a subject, as a pure
 * decision on what was verified:
 * <ul>
 * <li>only a client whose metadata says {@code transaction_tokens} may ask, and only when the service has a trust
 *     domain (else unauthorized_client);</li>
 * <li>the audience is the trust domain, asked for alone (§11.1, else invalid_target); the scope, REQUIRED, is the
 *     transaction's purpose and at most what both the subject token and the client have (§13.6); a subject token
 *     whose scope is unknown is refused rather than taken as unconstrained (§13.14, invalid_scope); a subject token's
 *     {@code may_act} must name the client;</li>
 * <li>the token ({@code typ txntoken+jwt}) carries a new {@code txn}, the subject's {@code sub} (with
 *     {@code subject_issuer} when not ours), the requesting workload as {@code req_wl}, the request's
 *     {@code request_context} and {@code request_details} as {@code rctx} and {@code tctx}, and the chain of tokens
 *     it came from ({@code exchanged_from}); it lives {@code token-service.transaction-tokens.ttl} at most, never longer
 *     than the subject token or the client's own tokens;</li>
 * <li>a transaction token presented as the subject is replaced (§13.15): {@code txn}, {@code sub}, {@code aud} and its
 *     context stay, the scope may only narrow, and an expired one is not replaced.</li>
 * </ul>
 */
final class TransactionTokenPolicy {

    private TransactionTokenPolicy() {
    }

    /** What is refused before any token is verified: the client, the audience, the purpose. */
    static void admit(ClientSnapshot client, ExchangeRequest request, Optional<String> trustDomain) {
        if (trustDomain.isEmpty() || !client.exchange().transactionTokens()) {
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "The client may not ask for transaction tokens");
        }
        if (!request.resources().isEmpty() || !request.audiences().equals(List.of(trustDomain.get()))) {
            throw new OAuthException(OAuthError.INVALID_TARGET, "A transaction token's audience is the trust domain alone");
        }
        if (request.scopes().isEmpty()) {
            throw OAuthException.invalidRequest("scope is required: the purpose of the transaction");
        }
        if (!client.scopes().containsAll(request.scopes().get())) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is wider than the client's");
        }
    }

    /**
     * For a request {@link #admit} let through.
     *
     * @param audience the trust domain, the token's one audience
     * @param clientLifetime the longest the client's tokens live
     */
    static AccessGrant grant(ClientSnapshot client, Party subject, boolean replacing, ExchangeRequest request,
            List<String> audience, Duration ttl, Duration clientLifetime, String ownIssuer, Instant now) {
        if (!replacing && subject.ours() && !Delegation.addressedTo(client, subject)) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "The subject_token is not acceptable");
        }
        Delegation.checkMayAct(subject, Map.of("sub", client.clientId()), ownIssuer);
        List<String> purpose = request.scopes().get();
        List<String> known = subject.scopes().orElseThrow(() -> new OAuthException(OAuthError.INVALID_SCOPE,
                "The subject_token says nothing of its scope, so no transaction scope can be within it"));
        if (!known.containsAll(purpose)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is wider than the subject_token's");
        }
        Object txn = replacing ? subject.claims().get("txn") : UUID.randomUUID().toString();
        if (!(txn instanceof String)) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "The subject_token is not acceptable");
        }
        Duration lifetime = Delegation.lifetime(ttl.compareTo(clientLifetime) < 0 ? ttl : clientLifetime, subject, now);
        AccessGrant grant = new AccessGrant(client.clientId(), subject.subject(), purpose, audience, lifetime,
                client.version(), client.registration(), AccessTokenVerifier.TXN_TOKEN_TYP, Map.of())
                .withClaim("txn", txn)
                .withClaim("req_wl", client.clientId());
        Optional<Object> rctx = replacing ? Optional.ofNullable(subject.claims().get("rctx"))
                : request.requestContext().map(Object.class::cast);
        Optional<Object> tctx = replacing ? Optional.ofNullable(subject.claims().get("tctx"))
                : request.requestDetails().map(Object.class::cast);
        if (!rctx.map(context -> TokenExchangeGrant.carriable(context, 1)).orElse(true)
                || !tctx.map(context -> TokenExchangeGrant.carriable(context, 1)).orElse(true)) {
            // Only a token of ours minted before the context was bounded could carry one.
            throw new OAuthException(OAuthError.INVALID_REQUEST, "The subject_token is not acceptable");
        }
        if (rctx.isPresent()) {
            grant = grant.withClaim("rctx", rctx.get());
        }
        if (tctx.isPresent()) {
            grant = grant.withClaim("tctx", tctx.get());
        }
        return Delegation.carried(grant, subject);
    }
}
