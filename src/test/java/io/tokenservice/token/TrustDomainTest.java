package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trust domain is an audience no access token carries, or none at all. */
class TrustDomainTest {

    static final String ISSUER = "https://auth.example";
    static final String ADMIN = "https://auth.example/admin";

    private static TrustDomain of(String domain, List<String> defaultAudience) {
        return new TrustDomain(Optional.ofNullable(domain), ISSUER, defaultAudience, ADMIN);
    }

    @Test
    void anAudienceOfAccessTokensIsRefusedAtStart() {
        for (String domain : List.of(ISSUER, ADMIN, "https://api.example", " ")) {
            assertThrows(IllegalStateException.class, () -> of(domain, List.of(ISSUER, "https://api.example")), domain);
        }
    }

    @Test
    void aDomainApartIsKeptAndNoneMeansNoTransactionTokens() {
        assertEquals(Optional.of("spiffe://example.org"), of("spiffe://example.org", List.of(ISSUER)).id());
        assertEquals(Optional.empty(), of(null, List.of(ISSUER)).id());
    }

    @Test
    void noClientsTokenCarriesTheTrustDomainEvenIfStoredWithIt() {
        ClientTokenLimits limits = new ClientTokenLimits(List.of(ISSUER), java.time.Duration.ofHours(1),
                java.time.Duration.ofDays(1), new AdminAuthority(ADMIN, java.time.Duration.ofMinutes(5)),
                Optional.of("spiffe://example.org"));
        assertEquals(List.of("https://api.example"), limits.effectiveAudience(List.of("spiffe://example.org",
                "https://api.example")));
        assertEquals(List.of(ISSUER), limits.effectiveAudience(List.of()));
    }
}
