package io.tokenservice.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.client.ExchangePolicy;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.revocation.ExchangedFrom;
import io.tokenservice.token.AccessGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a token exchange grants, decided on what was verified (fosite's flow_token_exchange tests, table by table). */
class DelegationTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final String US = "https://auth.example";
    static final ClientSnapshot ORDERS = new ClientSnapshot("orders", "hash", null, null, List.of("orders:read", "payments:read"),
            List.of("https://payments.example"), null, ClientAuthMethod.CLIENT_SECRET_BASIC, true, 3, 0, Instant.EPOCH, null,
            "at+jwt", null, null, Set.of(), 42, Set.of(TokenTypes.GRANT),
            new ExchangePolicy(Set.of("https://orders.example"), Set.of(), false), io.tokenservice.client.ReissuePolicy.DEFAULT,
            java.util.Optional.empty(), io.tokenservice.client.TokenBinding.NONE);

    static final ExchangedFrom.Link GATEWAY_TOKEN = new ExchangedFrom.Link("jti-1", NOW.minusSeconds(60), "gateway", 1,
            OptionalLong.of(7));

    private static Party subject(List<String> scopes, List<String> audience, Map<String, Object> claims) {
        return new Party("gateway", US, Optional.empty(), Optional.of(scopes), audience, NOW.plusSeconds(600), claims,
                Optional.of(new ExchangedFrom(List.of(GATEWAY_TOKEN))));
    }

    /** A trusted issuer's token, the client naming that issuer. */
    private static Party outside(Map<String, Object> claims) {
        return new Party("alice", "https://idp.example", Optional.of("https://idp.example"), Optional.of(List.of("orders:read")),
                List.of("orders"), NOW.plusSeconds(600), claims, Optional.empty());
    }

    private static ExchangeRequest request(List<String> scopes, List<String> audiences) {
        return new ExchangeRequest(new ExchangeRequest.Presented("t", TokenTypes.ACCESS_TOKEN), Optional.empty(),
                TokenTypes.ACCESS_TOKEN, Optional.ofNullable(scopes), audiences, List.of(), Optional.empty(), Optional.empty());
    }

    private static AccessGrant grant(Party subject, ExchangeRequest request) {
        return Delegation.grant(ORDERS, subject, Optional.empty(), request, US,
                Delegation.targets(ORDERS.audience(), request.targets()), Duration.ofHours(1), NOW);
    }

    private static OAuthError refusal(Party subject, ExchangeRequest request) {
        return assertThrows(OAuthException.class, () -> grant(subject, request)).error();
    }

    static final Party TO_ORDERS = subject(List.of("orders:read", "payments:read", "profile"), List.of("https://orders.example"),
            Map.of());

    @Test
    void noScopeAskedGrantsWhatTheSubjectAndTheClientBothHave() {
        assertEquals(List.of("orders:read", "payments:read"), grant(TO_ORDERS, request(null, List.of())).scopes());
    }

    @Test
    void theScopeOnlyNarrows() {
        assertEquals(List.of("payments:read"), grant(TO_ORDERS, request(List.of("payments:read"), List.of())).scopes());
        assertEquals(OAuthError.INVALID_SCOPE, refusal(TO_ORDERS, request(List.of("profile"), List.of())));
    }

    @Test
    void targetsAreTheClientsOwnAudience() {
        assertEquals(List.of("https://payments.example"), grant(TO_ORDERS, request(null, List.of())).audience());
        assertEquals(OAuthError.INVALID_TARGET, refusal(TO_ORDERS, request(null, List.of("https://ledger.example"))));
    }

    @Test
    void noLongerThanTheSubjectToken() {
        assertEquals(Duration.ofSeconds(600), grant(TO_ORDERS, request(null, List.of())).lifetime());
        Party expired = new Party("gateway", US, Optional.empty(), Optional.of(List.of()), List.of("orders"), NOW, Map.of(),
                Optional.of(new ExchangedFrom(List.of(GATEWAY_TOKEN))));
        assertEquals(OAuthError.INVALID_REQUEST, refusal(expired, request(null, List.of())));
    }

    @Test
    void aSubjectTokenOfOursMustBeAddressedToTheClient() {
        Party elsewhere = subject(List.of("orders:read"), List.of("https://elsewhere.example"), Map.of());
        assertEquals(OAuthError.INVALID_REQUEST, refusal(elsewhere, request(null, List.of())));
        Party byClientId = subject(List.of("orders:read"), List.of("orders"), Map.of());
        assertEquals("gateway", grant(byClientId, request(null, List.of())).subject());
    }

    @Test
    void theActorIsTheClientAndEarlierActorsNestInsideIt() {
        AccessGrant first = grant(TO_ORDERS, request(null, List.of()));
        assertEquals(Map.of("sub", "orders"), first.claims().get("act"));
        assertEquals(List.of(Map.of("jti", "jti-1", "iat", NOW.minusSeconds(60).getEpochSecond(), "client_id", "gateway",
                "client_version", 1L, "client_registration", 7L)), first.claims().get(ExchangedFrom.CLAIM));
        assertEquals(null, first.claims().get("subject_issuer"));
        Party relayed = subject(List.of("orders:read"), List.of("orders"), Map.of("act", Map.of("sub", "edge")));
        assertEquals(Map.of("sub", "orders", "act", Map.of("sub", "edge")),
                grant(relayed, request(null, List.of())).claims().get("act"));
    }

    @Test
    void mayActMustNameTheActor() {
        Party onlyPayments = subject(List.of("orders:read"), List.of("orders"), Map.of("may_act", Map.of("sub", "payments")));
        assertEquals(OAuthError.INVALID_REQUEST, refusal(onlyPayments, request(null, List.of())));
        Party onlyOrders = subject(List.of("orders:read"), List.of("orders"), Map.of("may_act", Map.of("sub", "orders")));
        assertEquals("gateway", grant(onlyOrders, request(null, List.of())).subject());
        Party otherIssuer = subject(List.of("orders:read"), List.of("orders"),
                Map.of("may_act", Map.of("sub", "orders", "iss", "https://elsewhere.example")));
        assertEquals(OAuthError.INVALID_REQUEST, refusal(otherIssuer, request(null, List.of())));
    }

    @Test
    void aMayActThatIsNoObjectRefusesRatherThanAllowsAnyone() {
        for (Object mayAct : List.of("orders", List.of(Map.of("sub", "orders")), Map.of("iss", US))) {
            Party odd = subject(List.of("orders:read"), List.of("orders"), Map.of("may_act", mayAct));
            assertEquals(OAuthError.INVALID_REQUEST, refusal(odd, request(null, List.of())), mayAct.toString());
        }
    }

    @Test
    void anotherIssuersSubjectIsNamedWithItsIssuerAndItsActorsToo() {
        AccessGrant granted = grant(outside(Map.of("act", Map.of("sub", "edge", "act", Map.of("sub", "cdn",
                "iss", "https://cdn.example")))), request(null, List.of()));
        assertEquals("alice", granted.subject());
        assertEquals("https://idp.example", granted.claims().get("subject_issuer"));
        assertEquals(Map.of("sub", "orders", "act", Map.of("sub", "edge", "iss", "https://idp.example",
                "act", Map.of("sub", "cdn", "iss", "https://cdn.example"))), granted.claims().get("act"));
        assertEquals(null, granted.claims().get(ExchangedFrom.CLAIM));
    }

    @Test
    void anotherIssuerMayNotNameAnActorOfOursNorNestActorsWithoutEnd() {
        assertEquals(OAuthError.INVALID_REQUEST, refusal(outside(Map.of("act", Map.of("sub", "payments", "iss", US))),
                request(null, List.of())));
        Map<String, Object> act = Map.of("sub", "deepest");
        for (int depth = 1; depth <= ExchangedFrom.MAX_LINKS; depth++) {
            act = Map.of("sub", "a" + depth, "act", act);
        }
        assertEquals(OAuthError.INVALID_REQUEST, refusal(outside(Map.of("act", act)), request(null, List.of())));
        assertEquals(OAuthError.INVALID_REQUEST, refusal(outside(Map.of("act", Map.of("iss", "https://idp.example"))),
                request(null, List.of())));
    }

    @Test
    void aMayActWithoutIssNamesASubjectOfTheTokensOwnIssuer() {
        // The idp's "orders" is not our client orders.
        assertEquals(OAuthError.INVALID_REQUEST, refusal(outside(Map.of("may_act", Map.of("sub", "orders"))),
                request(null, List.of())));
        assertEquals("alice", grant(outside(Map.of("may_act", Map.of("sub", "orders", "iss", US))),
                request(null, List.of())).subject());
    }

    @Test
    void withoutATrustDomainNoClientGetsATransactionToken() {
        ClientSnapshot allowed = new ClientSnapshot("edge", "hash", null, null, List.of("orders:read"), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, true, 3, 0, Instant.EPOCH, null, "at+jwt", null, null, Set.of(), 42,
                Set.of(TokenTypes.GRANT), new ExchangePolicy(Set.of(), Set.of(), true), io.tokenservice.client.ReissuePolicy.DEFAULT,
            java.util.Optional.empty(), io.tokenservice.client.TokenBinding.NONE);
        ExchangeRequest request = new ExchangeRequest(new ExchangeRequest.Presented("t", TokenTypes.ACCESS_TOKEN),
                Optional.empty(), TokenTypes.TXN_TOKEN, Optional.of(List.of("orders:read")), List.of("spiffe://td"),
                List.of(), Optional.empty(), Optional.empty());
        TransactionTokenPolicy.admit(allowed, request, Optional.of("spiffe://td"));
        assertEquals(OAuthError.UNAUTHORIZED_CLIENT, assertThrows(OAuthException.class,
                () -> TransactionTokenPolicy.admit(allowed, request, Optional.empty())).error());
    }
}
