package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokenservice.key.SigningAlgorithm;
import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.testing.IndependentVerifier;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RFC 9068 header and claims of a minted token, on a fixed clock. */
class AccessTokenMinterTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:15:30.750Z");
    static final SigningKey KEY = es256();
    static final AccessTokenMinter MINTER = new AccessTokenMinter("https://issuer.example", SigningKeys.fixed(KEY),
            Clock.fixed(NOW, ZoneOffset.UTC));
    static final String JWKS = jwks();

    private static SignedJWT mint(List<String> scopes) throws Exception {
        AccessToken token = MINTER.signed(new AccessGrant("client-1", scopes, List.of("https://a.example", "https://b.example"),
                Duration.ofMinutes(5))).token();
        assertEquals(300, token.expiresInSeconds());
        return IndependentVerifier.verify(token.jwt(), JWKS);
    }

    @Test
    void headerCarriesAtJwtTheKeyIdAndTheAlgorithm() throws Exception {
        SignedJWT jwt = mint(List.of("read"));
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        assertEquals(KEY.kid(), jwt.getHeader().getKeyID());
        assertEquals("ES256", jwt.getHeader().getAlgorithm().getName());
    }

    @Test
    void claimsNameTheClientTheAudienceAndAWholeSecondLifetime() throws Exception {
        JWTClaimsSet claims = mint(List.of("read", "write")).getJWTClaimsSet();
        assertEquals("https://issuer.example", claims.getIssuer());
        assertEquals("client-1", claims.getSubject());
        assertEquals("client-1", claims.getStringClaim("client_id"));
        assertEquals(List.of("https://a.example", "https://b.example"), claims.getAudience());
        assertEquals(Date.from(Instant.parse("2026-03-01T10:15:30Z")), claims.getIssueTime());
        assertEquals(Date.from(Instant.parse("2026-03-01T10:20:30Z")), claims.getExpirationTime());
        assertEquals("read write", claims.getStringClaim("scope"));
    }

    @Test
    void theTokenCarriesTheClientVersionAndRegistrationItWasMintedFrom() throws Exception {
        AccessToken token = MINTER.signed(new AccessGrant("client-1", List.of(), List.of("https://a.example"),
                Duration.ofMinutes(5), 42, 9_007_199_254_740_991L, "at+jwt")).token();
        JWTClaimsSet claims = IndependentVerifier.verify(token.jwt(), JWKS).getJWTClaimsSet();
        assertEquals(42L, claims.getLongClaim("client_version"));
        assertEquals(9_007_199_254_740_991L, claims.getLongClaim("client_registration"));
    }

    @Test
    void theIssueTimeIsTheClocksSecondRoundedDownNeverAhead() throws Exception {
        // NOW is 10:15:30.750: iat 10:15:30, whatever the client's registration.
        JWTClaimsSet claims = mint(List.of()).getJWTClaimsSet();
        assertEquals(Date.from(Instant.parse("2026-03-01T10:15:30Z")), claims.getIssueTime());
    }

    @Test
    void aGrantAddsClaimsOfItsOwnThroughTheHookButNeverOneTheMinterSets() throws Exception {
        AccessGrant grant = new AccessGrant("client-1", List.of(), List.of("https://a.example"), Duration.ofMinutes(5))
                .withClaim("act", Map.of("sub", "gateway"));
        JWTClaimsSet claims = IndependentVerifier.verify(MINTER.signed(grant).token().jwt(), JWKS).getJWTClaimsSet();
        assertEquals(Map.of("sub", "gateway"), claims.getJSONObjectClaim("act"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> grant.withClaim("sub", "x"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> grant.withClaim("client_version", 1));
    }

    @Test
    void aClientRegisteredForTheJwtTypeGetsIt() throws Exception {
        AccessToken token = MINTER.signed(new AccessGrant("client-1", List.of(), List.of("https://a.example"),
                Duration.ofMinutes(5), 0, 0, "JWT")).token();
        // IndependentVerifier insists on at+jwt, as an RFC 9068 verifier does: only the header is read here.
        assertEquals("JWT", SignedJWT.parse(token.jwt()).getHeader().getType().getType());
    }

    @Test
    void noScopeGrantedMeansNoScopeClaim() throws Exception {
        assertNull(mint(List.of()).getJWTClaimsSet().getClaim("scope"));
    }

    @Test
    void everyTokenHasItsOwnJwtId() throws Exception {
        String first = mint(List.of()).getJWTClaimsSet().getJWTID();
        String second = mint(List.of()).getJWTClaimsSet().getJWTID();
        assertFalse(first.isBlank());
        assertNotEquals(first, second);
    }

    @Test
    void jitterTakesUpToItsShareOffTheLifetimeAndExpAgreesWithExpiresIn() throws Exception {
        AccessTokenMinter jittered = new AccessTokenMinter("https://issuer.example", SigningKeys.fixed(KEY),
                Clock.fixed(NOW, ZoneOffset.UTC), new IssuedTokens(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 0), 10,
                new io.tokenservice.key.SigningLane(0, 1));
        java.util.Set<Long> lifetimes = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            AccessToken token = jittered.signed(new AccessGrant("client-1", List.of(), List.of("https://a.example"),
                    Duration.ofSeconds(1000))).token();
            JWTClaimsSet claims = IndependentVerifier.verify(token.jwt(), JWKS).getJWTClaimsSet();
            assertEquals(token.expiresInSeconds(), (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
            lifetimes.add(token.expiresInSeconds());
        }
        assertFalse(lifetimes.stream().anyMatch(lifetime -> lifetime < 900 || lifetime > 1000), lifetimes.toString());
        assertFalse(lifetimes.size() < 20, "spread over the range: " + lifetimes);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new AccessTokenMinter(
                "https://issuer.example", SigningKeys.fixed(KEY), Clock.systemUTC(),
                new IssuedTokens(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 0), 51,
                new io.tokenservice.key.SigningLane(0, 1)));
    }

    private static SigningKey es256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return SigningKey.of(SigningAlgorithm.ES256, pair.getPrivate(), pair.getPublic());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwks() {
        try {
            return new ObjectMapper().writeValueAsString(Map.of("keys", List.of(KEY.publicJwk())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
