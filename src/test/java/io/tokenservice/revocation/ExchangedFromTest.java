package io.tokenservice.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.token.VerifiedToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The chain a token was exchanged from: read back as written, bounded, and a malformed one honours nothing. */
class ExchangedFromTest {

    static final Instant IAT = Instant.parse("2026-12-01T12:00:00Z");

    private static VerifiedToken token(String jti, String clientId, Map<String, Object> claims) {
        return new VerifiedToken("gateway", clientId, List.of(), List.of(), jti, IAT, IAT.plusSeconds(600), 3,
                OptionalLong.of(42), claims);
    }

    @Test
    void aTokenOfNoExchangeHasAnEmptyChainAndOneExchangedFromItNamesIt() {
        VerifiedToken plain = token("t1", "gateway", Map.of());
        assertEquals(List.of(), ExchangedFrom.of(plain).orElseThrow().links());
        ExchangedFrom after = ExchangedFrom.after(plain).orElseThrow();
        assertEquals(List.of(new ExchangedFrom.Link("t1", IAT, "gateway", 3, OptionalLong.of(42))), after.links());
        VerifiedToken exchanged = token("t2", "orders", Map.of(ExchangedFrom.CLAIM, after.claim()));
        assertEquals(after, ExchangedFrom.of(exchanged).orElseThrow());
        assertEquals(List.of("gateway", "orders"), ExchangedFrom.after(exchanged).orElseThrow().links().stream()
                .map(ExchangedFrom.Link::clientId).toList());
    }

    @Test
    void aChainAtItsLongestIsNotExchangedAgain() {
        VerifiedToken token = token("t0", "c0", Map.of());
        for (int hop = 1; hop <= ExchangedFrom.MAX_LINKS; hop++) {
            token = token("t" + hop, "c" + hop, Map.of(ExchangedFrom.CLAIM, ExchangedFrom.after(token).orElseThrow().claim()));
        }
        assertEquals(ExchangedFrom.MAX_LINKS, ExchangedFrom.of(token).orElseThrow().links().size());
        assertTrue(ExchangedFrom.after(token).isEmpty());
    }

    @Test
    void aMalformedChainIsNoChain() {
        List<Object> tooLong = new ArrayList<>();
        for (int i = 0; i <= ExchangedFrom.MAX_LINKS; i++) {
            tooLong.add(Map.of("jti", "j" + i, "iat", 1L, "client_id", "c", "client_version", 1L));
        }
        for (Object claim : List.of("gateway", List.of("gateway"), List.of(Map.of("jti", "j")),
                List.of(Map.of("jti", "j", "iat", 1L, "client_id", "c", "client_version", 1L, "client_registration", "x")),
                tooLong)) {
            assertTrue(ExchangedFrom.of(token("t", "c", Map.of(ExchangedFrom.CLAIM, claim))).isEmpty(), claim.toString());
        }
    }
}
