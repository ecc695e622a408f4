package io.tokenservice.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokenservice.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checks of RFC 9449 §4.3 a proof passes before its jti is spent, one refusal each. */
class DpopProofsTest {

    static final String TOKEN_ENDPOINT = "https://auth.example.com/oauth2/token";
    static final Set<String> URLS = Set.of(TOKEN_ENDPOINT, "https://mtls.auth.example.com/oauth2/token");

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T12:00:00Z"));
    ECKey key;
    DpopNonces nonces;
    DpopProofs proofs;

    @BeforeEach
    void keys() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).generate();
        nonces = new DpopNonces(null, false, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(1), clock);
        proofs = proofs(nonces);
    }

    private DpopProofs proofs(DpopNonces with) {
        return new DpopProofs(null, with, Duration.ofSeconds(60), Duration.ofSeconds(30), 100, clock);
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                .claim("htu", TOKEN_ENDPOINT).issueTime(Date.from(clock.instant()));
    }

    private String proof(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return proof(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK())
                .build(), change.apply(claims()).build(), key);
    }

    private static String proof(JWSHeader header, JWTClaimsSet claims, ECKey signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    private DpopProofs.Checked check(String proof) {
        return proofs.check(List.of(proof), "POST", URLS, Optional.empty());
    }

    private void refused(String proof) {
        assertThrows(DpopProofRejectedException.class, () -> check(proof));
    }

    @Test
    void aProofGivesTheThumbprintOfItsKey() throws Exception {
        assertEquals(key.computeThumbprint("SHA-256").toString(), check(proof(c -> c)).thumbprint());
    }

    @Test
    void htuIsComparedWithoutQueryOrFragmentAndWithTheSchemeAndHostInAnyCase() throws Exception {
        check(proof(c -> c.claim("htu", "HTTPS://Auth.Example.com:443/oauth2/token?x=1#y")));
        check(proof(c -> c.claim("htu", "https://mtls.auth.example.com/oauth2/token")));
    }

    @Test
    void aProofForAnotherUrlOrMethodIsRefused() throws Exception {
        refused(proof(c -> c.claim("htu", "https://auth.example.com/oauth2/introspect")));
        refused(proof(c -> c.claim("htu", "https://evil.example.com/oauth2/token")));
        refused(proof(c -> c.claim("htm", "GET")));
    }

    @Test
    void aProofOlderThanItsMaxAgeOrAheadOfTheClockIsRefused() throws Exception {
        refused(proof(c -> c.issueTime(Date.from(clock.instant().minusSeconds(61)))));
        refused(proof(c -> c.issueTime(Date.from(clock.instant().plusSeconds(31)))));
        check(proof(c -> c.issueTime(Date.from(clock.instant().plusSeconds(29)))));
    }

    @Test
    void anHtuThatIsNoUrlMatchesNothingNotEvenAnUnparseableEndpoint() throws Exception {
        // An issuer host with an underscore has no host to java.net.URI; "x" none either: never equal.
        Set<String> unparseable = Set.of("https://token_service:8443/oauth2/token");
        String proof = proof(c -> c.claim("htu", "x"));
        assertThrows(DpopProofRejectedException.class, () -> proofs.check(List.of(proof), "POST", unparseable, Optional.empty()));
    }

    @Test
    void aProofByAnotherKeyThanTheTokensIsRefusedBeforeItsJtiIsWritten() throws Exception {
        // The replay store is null here: reaching it would be a NullPointerException, not this refusal.
        String proof = proof(c -> c);
        var failure = proofs.verify(List.of(proof), "POST", URLS, Optional.empty(), Optional.of("another-thumbprint"),
                "client").subscribe().withSubscriber(io.smallrye.mutiny.helpers.test.UniAssertSubscriber.create())
                .awaitFailure().getFailure();
        assertTrue(failure instanceof DpopProofRejectedException, failure.toString());
    }

    @Test
    void aProofWithoutJtiOrIatIsRefused() throws Exception {
        refused(proof(c -> c.jwtID(null)));
        refused(proof(c -> c.issueTime(null)));
    }

    @Test
    void anotherTypIsRefused() throws Exception {
        refused(proof(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).jwk(key.toPublicJWK()).build(),
                claims().build(), key));
    }

    @Test
    void aProofSignedByAnotherKeyThanItsJwkIsRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        refused(proof(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims().build(), other));
    }

    @Test
    void aJwkWithItsPrivatePartIsRefused() throws Exception {
        // Nimbus refuses to put a private key in a header: the proof is put together by hand.
        var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
        var header = new java.util.LinkedHashMap<String, Object>(Map.of("alg", "ES256", "typ", "dpop+jwt"));
        header.put("jwk", key.toJSONObject());
        String input = encoder.encodeToString(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header).getBytes())
                + "." + encoder.encodeToString(claims().build().toString().getBytes());
        String signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256), input.getBytes()).toString();
        refused(input + "." + signature);
    }

    @Test
    void anHmacProofIsRefused() throws Exception {
        byte[] secret = new byte[32];
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .build(), claims().build());
        jwt.sign(new MACSigner(secret));
        refused(jwt.serialize());
    }

    @Test
    void noneOrTwoHeadersOrGarbageAreRefused() throws Exception {
        assertThrows(DpopProofRejectedException.class, () -> proofs.check(List.of(), "POST", URLS, Optional.empty()));
        String proof = proof(c -> c);
        assertThrows(DpopProofRejectedException.class,
                () -> proofs.check(List.of(proof, proof), "POST", URLS, Optional.empty()));
        refused("not.a.jwt");
        refused("x".repeat(DpopProofs.MAX_LENGTH + 1));
    }

    @Test
    void withAnAccessTokenAthMustBeItsHash() throws Exception {
        String token = "eyJ.token.sig";
        String good = proof(c -> c.claim("ath", DpopProofs.hash(token)));
        proofs.check(List.of(good), "POST", URLS, Optional.of(token));
        String other = proof(c -> c.claim("ath", DpopProofs.hash("another")));
        assertThrows(DpopProofRejectedException.class, () -> proofs.check(List.of(other), "POST", URLS, Optional.of(token)));
        String none = proof(c -> c);
        assertThrows(DpopProofRejectedException.class, () -> proofs.check(List.of(none), "POST", URLS, Optional.of(token)));
    }

    @Test
    void withNoncesRequiredAProofWithoutACurrentNonceAsksForOne() throws Exception {
        DpopNonces required = new DpopNonces(null, true, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(1), clock);
        required.use(new byte[32]);
        proofs = proofs(required);
        DpopProofRejectedException missing = assertThrows(DpopProofRejectedException.class, () -> check(proof(c -> c)));
        assertTrue(missing.nonceNeeded());
        String nonce = missing.freshNonce().orElseThrow();
        check(proof(c -> c.claim("nonce", nonce)));
        clock.advance(Duration.ofMinutes(6));
        DpopProofRejectedException stale = assertThrows(DpopProofRejectedException.class,
                () -> check(proof(c -> c.claim("nonce", nonce))));
        assertTrue(stale.nonceNeeded());
    }

    @Test
    void aNonceOfAnotherSecretOrForgedIsNotValid() {
        DpopNonces ours = new DpopNonces(null, true, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(1), clock);
        ours.use(new byte[32]);
        DpopNonces replica = new DpopNonces(null, true, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(1), clock);
        replica.use(new byte[32]);
        DpopNonces stranger = new DpopNonces(null, true, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(1), clock);
        byte[] other = new byte[32];
        other[0] = 1;
        stranger.use(other);
        String nonce = ours.fresh().orElseThrow();
        assertTrue(replica.valid(nonce), "a replica sharing the secret accepts it");
        assertFalse(stranger.valid(nonce));
        assertFalse(ours.valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertFalse(ours.valid("%%%"));
    }
}
