package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class IssuedTokensTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void tokensAreCountedByAlgorithm() {
        IssuedTokens issued = new IssuedTokens(registry, 10);
        issued.count("RS256", "a");
        issued.count("RS256", "b");
        issued.count("ES256", "a");
        assertEquals(2.0, registry.get("token_service.tokens.issued").tag("algorithm", "RS256").counter().count());
        assertEquals(1.0, registry.get("token_service.tokens.issued").tag("algorithm", "ES256").counter().count());
    }

    @Test
    void clientsPastTheSeriesBoundShareOneSeries() {
        IssuedTokens issued = new IssuedTokens(registry, 2);
        for (int i = 0; i < 50; i++) {
            issued.count("RS256", "client-" + i);
        }
        issued.count("RS256", "client-0");
        assertEquals(2.0, registry.get("token_service.client.tokens.issued").tag("client_id", "client-0").counter().count());
        assertEquals(1.0, registry.get("token_service.client.tokens.issued").tag("client_id", "client-1").counter().count());
        assertEquals(48.0, registry.get("token_service.client.tokens.issued").tag("client_id", IssuedTokens.OTHER_CLIENTS)
                .counter().count());
        // client-0, client-1 and _other: three series, whatever the number of clients.
        assertEquals(3, registry.find("token_service.client.tokens.issued").counters().size());
    }

    @Test
    void noClientSeriesWhenTheBoundIsZero() {
        IssuedTokens issued = new IssuedTokens(registry, 0);
        issued.count("EdDSA", "a");
        assertEquals(1, registry.find("token_service.client.tokens.issued").counters().size());
        assertEquals(1.0, registry.get("token_service.client.tokens.issued").tag("client_id", IssuedTokens.OTHER_CLIENTS)
                .counter().count());
    }

    @Test
    void reissuedTokensAreCountedInTotalAndPerClientWithinTheSameBound() {
        IssuedTokens issued = new IssuedTokens(registry, 1);
        issued.countReissued("a");
        issued.countReissued("a");
        issued.countReissued("b");
        assertEquals(3.0, registry.get("token_service.tokens.reissued").counter().count());
        assertEquals(2.0, registry.get("token_service.client.tokens.reissued").tag("client_id", "a").counter().count());
        assertEquals(1.0, registry.get("token_service.client.tokens.reissued").tag("client_id", IssuedTokens.OTHER_CLIENTS)
                .counter().count());
        assertEquals(0, registry.find("token_service.tokens.issued").counters().size(), "nothing was signed");
    }
}
