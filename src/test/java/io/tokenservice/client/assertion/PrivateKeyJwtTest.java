package io.tokenservice.client.assertion;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.ClientAssertions.claims;
import static io.tokenservice.testing.ClientAssertions.jwks;
import static io.tokenservice.testing.ClientAssertions.sign;
import static io.tokenservice.testing.ClientAssertions.tokenForm;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.JwksServer;
import io.tokenservice.testing.Refusals;
import io.tokenservice.testing.TestClients;
import io.tokenservice.testing.TokenRequests;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * private_key_jwt (RFC 7523 §2.2) on the wire, against a real PostgreSQL: clients registered through the admin API
 * with inline keys or a jwks_uri served over HTTP, assertions made by the Nimbus SDK (and jose4j for EdDSA and the
 * forgeries), and each rule of the issue broken once.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class PrivateKeyJwtTest {

    static final JwksServer KEYS = new JwksServer();

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Inject
    MeterRegistry registry;

    String adminToken;

    @BeforeEach
    void admin() {
        adminToken = AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator().register());
    }

    @AfterAll
    static void stopKeys() {
        KEYS.close();
    }

    /** Registers a private_key_jwt client through the admin API with these metadata members; its client_id. */
    private String register(String keyMembers) {
        String clientId = "pkjwt-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"client_id\":\"" + clientId + "\",\"token_endpoint_auth_method\":\"private_key_jwt\","
                        + "\"scope\":\"read\"," + keyMembers + "}")
                .post("/admin/clients")
                .then().statusCode(201).body("client_secret", nullValue())
                .body("token_endpoint_auth_method", equalTo("private_key_jwt"));
        return clientId;
    }

    private String registerInline(JWK... keys) {
        return register("\"jwks\":" + jwks(keys));
    }

    private String registerAt(String path, JWK... keys) {
        KEYS.serve(path, jwks(keys));
        return register("\"jwks_uri\":\"" + KEYS.url(path) + "\"");
    }

    private static ValidatableResponse token(String body) {
        return TokenRequests.form(body).post("/oauth2/token").then();
    }

    private static void accepted(String body) {
        token(body).statusCode(200).body("access_token", notNullValue()).body("token_type", equalTo("Bearer"));
    }

    private void refused(String body, AuthenticationFailure reason) {
        Refusals.refused(registry, body, reason);
    }

    /** Whether a resource server's introspection finds this token active. */
    private boolean active(String token) {
        var resourceServer = new TestClients(dataSource, hasher).client().register();
        return TokenRequests.form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                .header("Authorization", TokenRequests.basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    private static String issued(String assertionForm) {
        return token(assertionForm).statusCode(200).extract().path("access_token");
    }

    private void patch(String clientId, String json) {
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json").body(json)
                .patch("/admin/clients/" + clientId).then().statusCode(200);
    }

    // Issue 18, point 7 (c): after a key's compromise, a PATCH of the keys could not retire the tokens it got.

    @Test
    void removingAKeyFromJwksRetiresTheClientsTokensAndAddingOneDoesNot() {
        RSAKey first = ClientAssertions.rsa("k1");
        RSAKey second = ClientAssertions.rsa("k2");
        String clientId = registerInline(first);
        String token = issued(tokenForm(sign(first, JWSAlgorithm.RS256, claims(clientId).build())));
        patch(clientId, "{\"jwks\":" + jwks(first, second) + "}");
        assertEquals(true, active(token));
        patch(clientId, "{\"jwks\":" + jwks(second) + "}");
        assertEquals(false, active(token));
        assertEquals(true, active(issued(tokenForm(sign(second, JWSAlgorithm.RS256, claims(clientId).build())))));
    }

    @Test
    void changingTheJwksUriRetiresTheClientsTokens() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerAt("/moved-" + UUID.randomUUID(), key);
        String token = issued(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())));
        String elsewhere = "/elsewhere-" + UUID.randomUUID();
        KEYS.serve(elsewhere, jwks(key));
        patch(clientId, "{\"jwks_uri\":\"" + KEYS.url(elsewhere) + "\"}");
        assertEquals(false, active(token));
    }

    @Test
    void rs256AssertionMadeByTheSdkGetsAToken() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        Counter byMethod = registry.counter("token_service.authentications", "method", "private_key_jwt");
        double before = byMethod.count();
        accepted("grant_type=client_credentials&" + ClientAssertions.sdkForm(clientId, key, JWSAlgorithm.RS256));
        assertEquals(before + 1, byMethod.count());
    }

    @Test
    void ps256AssertionMadeByTheSdkGetsAToken() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        accepted("grant_type=client_credentials&" + ClientAssertions.sdkForm(clientId, key, JWSAlgorithm.PS256));
    }

    @Test
    void es256AssertionVerifiesAgainstTheKeysAtJwksUri() {
        ECKey key = ClientAssertions.ec("ec-1");
        String clientId = registerAt("/es256", key);
        accepted("grant_type=client_credentials&" + ClientAssertions.sdkForm(clientId, key, JWSAlgorithm.ES256)
                + "&client_id=" + clientId);
    }

    @Test
    void eddsaAssertionGetsAToken() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId("ed-1");
        String clientId = register("\"jwks\":{\"keys\":[" + jwk.toJson() + "]}");
        JwtClaims jwtClaims = JwtClaims.parse(claims(clientId).build().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwtClaims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue("ed-1");
        jws.setKey(pair.getPrivate());
        accepted(tokenForm(jws.getCompactSerialization()));
    }

    @Test
    void theSameAssertionTwiceIsAReplay() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String assertion = sign(key, JWSAlgorithm.RS256, claims(clientId).build());
        accepted(tokenForm(assertion));
        refused(tokenForm(assertion), AuthenticationFailure.REPLAYED_ASSERTION);
    }

    @Test
    void assertionForAnotherAudienceIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).audience("https://other.example.com/token").build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void assertionNamingTheIssuerAsAudienceIsAccepted() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String issuer = ClientAssertions.tokenEndpoint().replace("/oauth2/token", "");
        accepted(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).audience(issuer).build())));
    }

    // Issue 18, point 7 (b): aud was accepted as an array, and as the URL of any endpoint that authenticates clients.

    @Test
    void assertionNamingTheTokenEndpointInAnArrayIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId)
                .audience(List.of(ClientAssertions.tokenEndpoint(), "https://elsewhere.example")).build())),
                AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void assertionNamingTheIntrospectionEndpointIsRefusedThere() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String introspection = ClientAssertions.tokenEndpoint().replace("/oauth2/token", "/oauth2/introspect");
        String assertion = sign(key, JWSAlgorithm.RS256, claims(clientId, introspection).build());
        TokenRequests.form("token=whatever&client_assertion_type=" + URLEncoder.encode(ClientAssertions.JWT_BEARER,
                        StandardCharsets.UTF_8) + "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8))
                .post("/oauth2/introspect").then().statusCode(403).body("error", equalTo("invalid_client"));
    }

    @Test
    void expiredAssertionIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        Instant past = Instant.now().minusSeconds(600);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).issueTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(300))).build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void assertionLivingLongerThanTheMaximumIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        Date inTwoHours = Date.from(Instant.now().plus(Duration.ofHours(2)));
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).expirationTime(inTwoHours).build())),
                AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void assertionIssuedInTheFutureIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        Instant later = Instant.now().plusSeconds(600);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).issueTime(Date.from(later))
                .expirationTime(Date.from(later.plusSeconds(60))).build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void assertionWithoutJtiIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).jwtID(null).build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void assertionWhoseSubjectIsAnotherClientIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String other = registerInline(key);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).subject(other).build())), AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void clientIdParameterNamingAnotherClientIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String other = registerInline(key);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())) + "&client_id=" + other, AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void assertionSignedByAKeyOutsideTheSetIsRefused() {
        RSAKey registered = ClientAssertions.rsa("k1");
        String clientId = registerInline(registered);
        refused(tokenForm(sign(ClientAssertions.rsa("k1"), JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.BAD_SIGNATURE);
    }

    @Test
    void assertionWithAKidTheSetLacksIsRefused() {
        RSAKey registered = ClientAssertions.rsa("k1");
        String clientId = registerInline(registered);
        RSAKey sameKeyOtherKid = new RSAKey.Builder(registered).keyID("k2").build();
        refused(tokenForm(sign(sameKeyOtherKid, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.BAD_SIGNATURE);
    }

    @Test
    void assertionWithoutKidIsRefusedWhenTheSetHasSeveralKeys() {
        RSAKey first = ClientAssertions.rsa("k1");
        String clientId = registerInline(first, ClientAssertions.rsa("k2"));
        RSAKey noKid = new RSAKey.Builder(first).keyID(null).build();
        refused(tokenForm(sign(noKid, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.BAD_SIGNATURE);
    }

    @Test
    void assertionWithoutKidIsAcceptedWhenTheSetHasOneKey() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        RSAKey noKid = new RSAKey.Builder(key).keyID(null).build();
        accepted(tokenForm(sign(noKid, JWSAlgorithm.RS256, claims(clientId).build())));
    }

    @Test
    void unsignedAssertionIsRefused() {
        String clientId = registerInline(ClientAssertions.rsa("k1"));
        String header = base64Url("{\"alg\":\"none\"}");
        String payload = base64Url(claims(clientId).build().toString());
        refused(tokenForm(header + "." + payload + "."), AuthenticationFailure.BAD_SIGNATURE);
    }

    @Test
    void hmacAssertionKeyedWithThePublicKeyIsRefused() throws Exception {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        // The classic confusion: HS256 with the published public key as the shared secret.
        byte[] publicKeyAsSecret = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(clientId).build().toString());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue("k1");
        jws.setKey(new javax.crypto.spec.SecretKeySpec(publicKeyAsSecret, "HmacSHA256"));
        jws.setDoKeyValidation(false);
        refused(tokenForm(jws.getCompactSerialization()), AuthenticationFailure.BAD_SIGNATURE);
    }

    /**
     * Issue 18 review: an unknown kid made the request wait for a refetch, so the wait told which client ids have a
     * jwks_uri. The first assertion naming a new kid is refused at once and starts the refetch; the next one passes.
     */
    @Test
    void keyRotationAtTheJwksUriIsSeenRightAfterTheFirstUnknownKid() throws Exception {
        RSAKey old = ClientAssertions.rsa("2026-01");
        String clientId = registerAt("/rotating", old);
        accepted(tokenForm(sign(old, JWSAlgorithm.RS256, claims(clientId).build())));
        RSAKey next = ClientAssertions.rsa("2026-02");
        KEYS.serve("/rotating", 200, jwks(next), Duration.ofMillis(500));
        long started = System.nanoTime();
        refused(tokenForm(sign(next, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.BAD_SIGNATURE);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 400, "the refusal waited for the refetch");
        io.tokenservice.testing.Eventually.within(Duration.ofSeconds(5),
                () -> accepted(tokenForm(sign(next, JWSAlgorithm.RS256, claims(clientId).build()))));
    }

    @Test
    void unreachableJwksUriIsInvalidClient() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = register("\"jwks_uri\":\"http://127.0.0.1:9/jwks\"");
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.KEYS_UNAVAILABLE);
    }

    @Test
    void jwksUriAnsweringAnErrorIsInvalidClient() {
        RSAKey key = ClientAssertions.rsa("k1");
        KEYS.serve("/broken", 500, "{}", Duration.ZERO);
        String clientId = register("\"jwks_uri\":\"" + KEYS.url("/broken") + "\"");
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.KEYS_UNAVAILABLE);
    }

    @Test
    void slowJwksUriIsInvalidClientWithinTheTimeLimit() {
        RSAKey key = ClientAssertions.rsa("k1");
        KEYS.serve("/slow", 200, jwks(key), Duration.ofSeconds(5));
        String clientId = register("\"jwks_uri\":\"" + KEYS.url("/slow") + "\"");
        long started = System.nanoTime();
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.KEYS_UNAVAILABLE);
        // token-service.assertions.jwks.timeout is 1 s in the test profile.
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(3)) < 0);
    }

    @Test
    void hugeJwksUriIsInvalidClient() {
        RSAKey key = ClientAssertions.rsa("k1");
        String huge = "{\"keys\":[" + jwks(key).replace("{\"keys\":[", "").replace("]}", "") + "],\"padding\":\""
                + "x".repeat(200_000) + "\"}";
        KEYS.serveChunked("/huge", huge);
        String clientId = register("\"jwks_uri\":\"" + KEYS.url("/huge") + "\"");
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.KEYS_UNAVAILABLE);
    }

    @Test
    void keysReplacedThroughTheAdminApiRetireTheOldKeyAtOnce() {
        RSAKey old = ClientAssertions.rsa("k1");
        String clientId = registerInline(old);
        accepted(tokenForm(sign(old, JWSAlgorithm.RS256, claims(clientId).build())));
        RSAKey next = ClientAssertions.rsa("k2");
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"jwks\":" + jwks(next) + "}").patch("/admin/clients/" + clientId)
                .then().statusCode(200).body("jwks.keys.kid", hasItem("k2"));
        refused(tokenForm(sign(old, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.BAD_SIGNATURE);
        accepted(tokenForm(sign(next, JWSAlgorithm.RS256, claims(clientId).build())));
    }

    @Test
    void disabledClientIsRefusedWithItsRightKey() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"enabled\":false}").patch("/admin/clients/" + clientId).then().statusCode(200);
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.DISABLED);
    }

    @Test
    void anAssertionRefusedForADisabledClientIsNotUsedUp() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        patch(clientId, "{\"enabled\":false}");
        String form = tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build()));
        refused(form, AuthenticationFailure.DISABLED);
        patch(clientId, "{\"enabled\":true}");
        accepted(form);
    }

    @Test
    void secretClientCannotAuthenticateWithAnAssertion() {
        var secretClient = new TestClients(dataSource, hasher).client().register();
        RSAKey key = ClientAssertions.rsa("k1");
        refused(tokenForm(sign(key, JWSAlgorithm.RS256, claims(secretClient.clientId()).build())), AuthenticationFailure.METHOD_MISMATCH);
    }

    @Test
    void assertionTogetherWithBasicCredentialsIsInvalidRequest() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        TokenRequests.form(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())))
                .header("Authorization", TokenRequests.basicRaw(clientId, "whatever"))
                .post("/oauth2/token").then().statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void unsupportedAssertionTypeIsInvalidClient() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String body = tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build()))
                .replace("jwt-bearer", "saml2-bearer");
        refused(body, AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void garbageAssertionIsInvalidClient() {
        refused(tokenForm("not.a.jwt"), AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void introspectionAndRevocationAcceptPrivateKeyJwt() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String accessToken = token(tokenForm(sign(key, JWSAlgorithm.RS256, claims(clientId).build())))
                .statusCode(200).extract().path("access_token");
        String introspection = "token=" + accessToken + "&client_assertion_type=" + ClientAssertions.JWT_BEARER
                + "&client_assertion=" + sign(key, JWSAlgorithm.RS256, claims(clientId).build());
        TokenRequests.form(introspection).post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(true));
        String revocation = "token=" + accessToken + "&client_assertion_type=" + ClientAssertions.JWT_BEARER
                + "&client_assertion=" + sign(key, JWSAlgorithm.RS256, claims(clientId).build());
        TokenRequests.form(revocation).post("/oauth2/revoke").then().statusCode(200);
        String again = "token=" + accessToken + "&client_assertion_type=" + ClientAssertions.JWT_BEARER
                + "&client_assertion=" + sign(key, JWSAlgorithm.RS256, claims(clientId).build());
        TokenRequests.form(again).post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void theRegistrationShowsTheKeysAndNoSecret() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        given().header("Authorization", "Bearer " + adminToken).get("/admin/clients/" + clientId)
                .then().statusCode(200)
                .body("jwks.keys[0].kid", equalTo("k1"))
                .body("jwks.keys[0].d", nullValue())
                .body("client_secret", nullValue());
    }

    @Test
    void registrationWithAPrivateKeyIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + key.toJSONString() + "]}}")
                .post("/admin/clients")
                .then().statusCode(400).body("field", equalTo("jwks"));
    }

    @Test
    void registrationWithBothJwksAndJwksUriIsRefused() {
        RSAKey key = ClientAssertions.rsa("k1");
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks(key)
                        + ",\"jwks_uri\":\"https://keys.example.com/jwks\"}")
                .post("/admin/clients")
                .then().statusCode(400).body("field", equalTo("jwks"));
    }

    @Test
    void registrationWithoutKeysIsRefused() {
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"token_endpoint_auth_method\":\"private_key_jwt\"}")
                .post("/admin/clients")
                .then().statusCode(400).body("field", equalTo("jwks"));
    }

    @Test
    void aPrivateKeyJwtClientHasNoSecretToRotate() {
        String clientId = registerInline(ClientAssertions.rsa("k1"));
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json").body("{}")
                .post("/admin/clients/" + clientId + "/secret")
                .then().statusCode(400).body("field", equalTo("token_endpoint_auth_method"));
    }

    @Test
    void aSecretClientMovedToPrivateKeyJwtLosesItsSecret() {
        var client = new TestClients(dataSource, hasher).client().register();
        RSAKey key = ClientAssertions.rsa("k1");
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks(key) + "}")
                .patch("/admin/clients/" + client.clientId())
                .then().statusCode(200).body("token_endpoint_auth_method", equalTo("private_key_jwt"));
        TokenRequests.clientCredentials(client.clientId(), client.secret()).post("/oauth2/token")
                .then().statusCode(403).body("error", equalTo("invalid_client"));
        accepted(tokenForm(sign(key, JWSAlgorithm.RS256, claims(client.clientId()).build())));
    }

    @Test
    void aPrivateKeyJwtClientCannotTakeASecretMethod() {
        String clientId = registerInline(ClientAssertions.rsa("k1"));
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"token_endpoint_auth_method\":\"client_secret_basic\",\"jwks\":null}")
                .patch("/admin/clients/" + clientId)
                .then().statusCode(400).body("field", equalTo("token_endpoint_auth_method"));
    }

    @Test
    void discoveryListsPrivateKeyJwtAndItsAlgorithms() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("introspection_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("token_endpoint_auth_signing_alg_values_supported", hasItem("ES256"))
                .body("token_endpoint_auth_signing_alg_values_supported", hasItem("EdDSA"));
    }

    @Test
    void warmRequestsFetchTheJwksUriOnce() {
        ECKey key = ClientAssertions.ec("ec-1");
        String clientId = registerAt("/fetched-once", key);
        for (int i = 0; i < 3; i++) {
            accepted(tokenForm(sign(key, JWSAlgorithm.ES256, claims(clientId).build())));
        }
        assertEquals(1, KEYS.requests("/fetched-once"));
    }

    /** Issue 14 review, finding 1: parsed key sets were cached by client version, which restarts at 0. */
    @Test
    void aClientRegisteredAgainUnderItsIdIsNotVerifiedWithTheKeysOfTheOneDeleted() {
        RSAKey stolen = ClientAssertions.rsa("k1");
        String clientId = registerInline(stolen);
        accepted(tokenForm(sign(stolen, JWSAlgorithm.RS256, claims(clientId).build())));
        given().header("Authorization", "Bearer " + adminToken).delete("/admin/clients/" + clientId).then().statusCode(204);
        RSAKey replacement = ClientAssertions.rsa("k1");
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body("{\"client_id\":\"" + clientId + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":"
                        + jwks(replacement) + "}")
                .post("/admin/clients").then().statusCode(201);
        refused(tokenForm(sign(stolen, JWSAlgorithm.RS256, claims(clientId).build())), AuthenticationFailure.BAD_SIGNATURE);
        accepted(tokenForm(sign(replacement, JWSAlgorithm.RS256, claims(clientId).build())));
    }

    /** Issue 14 review, finding 2: these were 500s, before any failure budget. */
    @Test
    void aHeaderMemberOfTheWrongTypeIsMalformedNotAServerError() {
        String clientId = registerInline(ClientAssertions.rsa("k1"));
        String payload = base64Url(claims(clientId).build().toString());
        refused(tokenForm(base64Url("{\"alg\":1}") + "." + payload + ".c2ln"), AuthenticationFailure.MALFORMED_ASSERTION);
        refused(tokenForm(base64Url("{\"alg\":\"RS256\",\"kid\":{}}") + "." + payload + ".c2ln"),
                AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void aTimeBeyondAnyCalendarIsMalformedNotAServerError() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = registerInline(key);
        String header = base64Url("{\"alg\":\"RS256\",\"kid\":\"k1\"}");
        String payload = base64Url("{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId + "\",\"aud\":\""
                + ClientAssertions.tokenEndpoint() + "\",\"exp\":9000000000000000000,\"jti\":\"j\"}");
        refused(tokenForm(header + "." + payload + ".c2ln"), AuthenticationFailure.MALFORMED_ASSERTION);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
