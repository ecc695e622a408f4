package io.tokenservice.binding;

import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.SelfSignedTLSClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.PKITLSClientAuthentication;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tokenservice.client.PresentedCertificate;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Haproxy;
import io.tokenservice.testing.MutualTlsAndDpop;
import io.tokenservice.testing.NodeClients;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import io.tokenservice.testing.TestPki;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sender-constrained tokens on the wire: mutual TLS (RFC 8705) over the service's own HTTPS listener and behind
 * HAProxy terminating TLS, and DPoP (RFC 9449) with the nonces this profile requires, driven by the Nimbus OAuth 2.0
 * SDK's own client authentication and proof factory, unmodified. Clients are registered through the admin API.
 */
@QuarkusTest
@TestProfile(MutualTlsAndDpop.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SenderConstrainedTokensTest {

    static final String ISSUER = "http://localhost:8080";
    static final URI ISSUER_TOKEN_ENDPOINT = URI.create(ISSUER + "/oauth2/token");

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;
    String adminToken;

    @BeforeEach
    void admin() {
        clients = new TestClients(dataSource, hasher);
        TestClients.Registered admin = clients.client().administrator().register();
        adminToken = form("grant_type=client_credentials").header("Authorization", basicRaw(admin.clientId(), admin.secret()))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    private String register(String metadata) {
        String clientId = "client-" + UUID.randomUUID();
        given().auth().oauth2(adminToken).contentType("application/json")
                .body("{\"client_id\":\"" + clientId + "\",\"scope\":\"read\"," + metadata + "}")
                .post("/admin/clients").then().statusCode(201);
        return clientId;
    }

    private static URI https(String path) {
        return URI.create(TestHTTPResourceManager.getSslUri().replaceAll("/+$", "") + path);
    }

    private static Map<String, Object> claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getClaims();
    }

    /** A token request the SDK makes over the HTTPS listener with {@code identity}'s certificate. */
    private static TokenResponse overMutualTls(HTTPRequest request) throws Exception {
        request.setHostnameVerifier((host, session) -> true);
        return TokenResponse.parse(request.send());
    }

    private static String thumbprint(TestPki.Issued identity) {
        return new PresentedCertificate(List.of(identity.certificate())).thumbprint();
    }

    @Test
    void aTlsClientAuthClientAuthenticatesByItsSpiffeIdAndGetsACertificateBoundToken() throws Exception {
        String spiffeId = "spiffe://example.org/ns/shop/sa/" + UUID.randomUUID();
        String clientId = register("\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\""
                + spiffeId + "\",\"tls_client_certificate_bound_access_tokens\":true");
        TestPki.Issued identity = MutualTlsAndDpop.AUTHORITY.issue("CN=orders", TestPki.uri(spiffeId));
        TokenResponse response = overMutualTls(new TokenRequest(https("/oauth2/token"),
                new PKITLSClientAuthentication(new ClientID(clientId), identity.clientContext().getSocketFactory()),
                new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest());
        assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toString());
        String token = response.toSuccessResponse().getTokens().getAccessToken().getValue();
        assertEquals(Map.of("x5t#S256", thumbprint(identity)), claims(token).get("cnf"));
        assertEquals("Bearer", response.toSuccessResponse().getTokens().getAccessToken().getType().getValue());
    }

    @Test
    void aCertificateOfAnotherSubjectOrAuthorityOrSelfSignedIsInvalidClient() throws Exception {
        String clientId = register("\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":"
                + "\"CN=orders,O=Example\"");
        for (TestPki.Issued stranger : List.of(MutualTlsAndDpop.AUTHORITY.issue("CN=payments,O=Example"),
                TestPki.authority("other-ca").issue("CN=orders,O=Example"), TestPki.selfSigned("CN=orders,O=Example"))) {
            TokenResponse response = overMutualTls(new TokenRequest(https("/oauth2/token"),
                    new PKITLSClientAuthentication(new ClientID(clientId), stranger.clientContext().getSocketFactory()),
                    new ClientCredentialsGrant(), null).toHTTPRequest());
            assertFalse(response.indicatesSuccess());
            assertEquals("invalid_client", ((TokenErrorResponse) response).getErrorObject().getCode());
        }
        TestPki.Issued own = MutualTlsAndDpop.AUTHORITY.issue("CN=orders,O=Example");
        assertTrue(overMutualTls(new TokenRequest(https("/oauth2/token"),
                new PKITLSClientAuthentication(new ClientID(clientId), own.clientContext().getSocketFactory()),
                new ClientCredentialsGrant(), null).toHTTPRequest()).indicatesSuccess());
    }

    @Test
    void aSelfSignedClientAuthenticatesByTheKeyInItsJwks() throws Exception {
        TestPki.Issued identity = TestPki.selfSigned("CN=batch-job");
        String jwks = new JWKSet(new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) identity.keys().getPublic())
                .build()).toString();
        String clientId = register("\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\",\"jwks\":" + jwks);
        TokenResponse response = overMutualTls(new TokenRequest(https("/oauth2/token"),
                new SelfSignedTLSClientAuthentication(new ClientID(clientId), identity.clientContext().getSocketFactory()),
                new ClientCredentialsGrant(), null).toHTTPRequest());
        assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toString());
        // Not registered for bound tokens, and the service binds only those: a bearer token.
        assertFalse(claims(response.toSuccessResponse().getTokens().getAccessToken().getValue()).containsKey("cnf"));
        TestPki.Issued other = TestPki.selfSigned("CN=batch-job");
        assertFalse(overMutualTls(new TokenRequest(https("/oauth2/token"),
                new SelfSignedTLSClientAuthentication(new ClientID(clientId), other.clientContext().getSocketFactory()),
                new ClientCredentialsGrant(), null).toHTTPRequest()).indicatesSuccess());
    }

    @Test
    void aClientCertHeaderFromAnyoneButTheTrustedProxyCountsAsNothing() throws Exception {
        String spiffeId = "spiffe://example.org/ns/shop/sa/" + UUID.randomUUID();
        String clientId = register("\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\""
                + spiffeId + "\"");
        TestPki.Issued identity = MutualTlsAndDpop.AUTHORITY.issue("CN=orders", TestPki.uri(spiffeId));
        String header = ":" + java.util.Base64.getEncoder().encodeToString(identity.certificate().getEncoded()) + ":";
        // From 127.0.0.1, no trusted proxy: the header is the caller's own word, and the request has no credentials.
        form("grant_type=client_credentials&client_id=" + clientId).header("Client-Cert", header)
                .post("/oauth2/token").then().body("error", equalTo("invalid_client"));
    }

    @Test
    void behindHaproxyTerminatingTlsTheForwardedCertificateAuthenticatesAndBindsTheToken() throws Exception {
        assumeTrue(Haproxy.installed(), "HAProxy is not installed");
        String spiffeId = "spiffe://example.org/ns/shop/sa/" + UUID.randomUUID();
        String clientId = register("\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\""
                + spiffeId + "\",\"tls_client_certificate_bound_access_tokens\":true");
        TestPki.Issued identity = MutualTlsAndDpop.AUTHORITY.issue("CN=orders", TestPki.uri(spiffeId));
        TestPki.Issued forged = TestPki.selfSigned("CN=orders");
        try (Haproxy proxy = Haproxy.terminatingTls(RestAssured.port, MutualTlsAndDpop.SERVER_PEM,
                MutualTlsAndDpop.AUTHORITY_PEM, MutualTlsAndDpop.PROXY_ADDRESS)) {
            URI endpoint = URI.create("https://127.0.0.1:" + proxy.port() + "/oauth2/token");
            TokenResponse response = overMutualTls(new TokenRequest(endpoint,
                    new PKITLSClientAuthentication(new ClientID(clientId), identity.clientContext().getSocketFactory()),
                    new ClientCredentialsGrant(), null).toHTTPRequest());
            assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toString());
            String token = response.toSuccessResponse().getTokens().getAccessToken().getValue();
            assertEquals(Map.of("x5t#S256", thumbprint(identity)), claims(token).get("cnf"));
            // A Client-Cert header the client writes itself is replaced by HAProxy's.
            HTTPRequest smuggled = new TokenRequest(endpoint, new PKITLSClientAuthentication(new ClientID(clientId),
                    forged.clientContext().getSocketFactory()), new ClientCredentialsGrant(), null).toHTTPRequest();
            smuggled.setHeader("Client-Cert", ":" + java.util.Base64.getEncoder().encodeToString(
                    identity.certificate().getEncoded()) + ":");
            assertFalse(overMutualTls(smuggled).indicatesSuccess());
        }
    }

    @Test
    void behindAProxyReachingTheServiceOverMutualTlsOnlyItsHeaderCountsNeverItsOwnCertificate() throws Exception {
        assumeTrue(Haproxy.installed(), "HAProxy is not installed");
        // A client registered for the proxy's own identity: anyone coming through the proxy would be it if the
        // proxy's connection certificate counted.
        String proxyId = "spiffe://example.org/ns/mesh/sa/" + UUID.randomUUID();
        String clientId = register("\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\""
                + proxyId + "\"");
        TestPki.Issued proxyIdentity = MutualTlsAndDpop.AUTHORITY.issue("CN=sidecar", TestPki.uri(proxyId));
        java.nio.file.Path proxyPem = proxyIdentity.writeWithKey(java.nio.file.Files.createTempFile(
                java.nio.file.Path.of("target"), "sidecar", ".pem"));
        int httpsPort = URI.create(TestHTTPResourceManager.getSslUri()).getPort();
        try (Haproxy proxy = Haproxy.terminatingTls(httpsPort, MutualTlsAndDpop.SERVER_PEM, MutualTlsAndDpop.AUTHORITY_PEM,
                MutualTlsAndDpop.PROXY_ADDRESS, proxyPem)) {
            URI endpoint = URI.create("https://127.0.0.1:" + proxy.port() + "/oauth2/token");
            TestPki.Issued caller = TestPki.selfSigned("CN=nobody");
            TokenResponse response = overMutualTls(new TokenRequest(endpoint, new PKITLSClientAuthentication(
                    new ClientID(clientId), caller.clientContext().getSocketFactory()), new ClientCredentialsGrant(), null)
                    .toHTTPRequest());
            assertFalse(response.indicatesSuccess(), "the proxy's own certificate authenticated a caller");
            // The proxy's word about a caller with a certificate of its own is what counts.
            String callerId = "spiffe://example.org/ns/shop/sa/" + UUID.randomUUID();
            String callerClient = register("\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\""
                    + callerId + "\"");
            TestPki.Issued identity = MutualTlsAndDpop.AUTHORITY.issue("CN=orders", TestPki.uri(callerId));
            TokenResponse own = overMutualTls(new TokenRequest(endpoint, new PKITLSClientAuthentication(
                    new ClientID(callerClient), identity.clientContext().getSocketFactory()), new ClientCredentialsGrant(),
                    null).toHTTPRequest());
            assertTrue(own.indicatesSuccess(), () -> ((TokenErrorResponse) own).getErrorObject().toString());
        }
    }

    /** A DPoP token request the SDK makes, with the nonce the service asks for on a first try. */
    private static TokenResponse withDpop(DPoPProofFactory proofs, String clientId, String secret) throws Exception {
        HTTPRequest first = new TokenRequest(URI.create("http://localhost:" + RestAssured.port + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant(), null)
                .toHTTPRequest();
        first.setDPoP(proofs.createDPoPJWT("POST", ISSUER_TOKEN_ENDPOINT));
        HTTPResponse answer = first.send();
        TokenResponse response = TokenResponse.parse(answer);
        if (response.indicatesSuccess() || !"use_dpop_nonce".equals(((TokenErrorResponse) response).getErrorObject().getCode())) {
            return response;
        }
        HTTPRequest second = new TokenRequest(URI.create("http://localhost:" + RestAssured.port + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant(), null)
                .toHTTPRequest();
        second.setDPoP(proofs.createDPoPJWT("POST", ISSUER_TOKEN_ENDPOINT, answer.getDPoPNonce()));
        return TokenResponse.parse(second.send());
    }

    @Test
    void aDpopClientGetsATokenBoundToItsKeyAfterTheNonceDance() throws Exception {
        TestClients.Registered client = clients.client().register();
        Sql.update(dataSource, "UPDATE token_service.client SET dpop_bound_access_tokens = true WHERE client_id = ?",
                client.clientId());
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        TokenResponse response = withDpop(new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256), client.clientId(),
                client.secret());
        assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toString());
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        assertTrue(token instanceof DPoPAccessToken, "token_type DPoP");
        assertEquals(Map.of("jkt", key.computeThumbprint().toString()), claims(token.getValue()).get("cnf"));
        // Introspection tells a resource server the binding.
        TestClients.Registered resource = clients.client().register();
        form("token=" + URLEncoder.encode(token.getValue(), StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(resource.clientId(), resource.secret())).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(true)).body("token_type", equalTo("DPoP"))
                .body("cnf.jkt", equalTo(key.computeThumbprint().toString()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void openidClientGetsADpopBoundTokenUnmodified() throws Exception {
        TestClients.Registered client = clients.client().register();
        Sql.update(dataSource, "UPDATE token_service.client SET dpop_bound_access_tokens = true WHERE client_id = ?",
                client.clientId());
        Map<String, Object> response = NodeClients.run("dpop", "dpop.mjs", ISSUER, "http://localhost:" + RestAssured.port,
                client.clientId(), client.secret());
        assertEquals("dpop", String.valueOf(response.get("token_type")).toLowerCase(java.util.Locale.ROOT));
        String jkt = com.nimbusds.jose.jwk.JWK.parse((Map<String, Object>) response.get("dpop_jwk")).computeThumbprint()
                .toString();
        assertEquals(Map.of("jkt", jkt), claims((String) response.get("access_token")).get("cnf"));
    }

    @Test
    void aClientRegisteredForDpopGetsNoTokenWithoutAProof() throws Exception {
        TestClients.Registered client = clients.client().register();
        Sql.update(dataSource, "UPDATE token_service.client SET dpop_bound_access_tokens = true WHERE client_id = ?",
                client.clientId());
        form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/token").then().body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void aReplayedProofOrOneForAnotherUrlIsInvalidDpopProofAndIssuesNothing() throws Exception {
        TestClients.Registered client = clients.client().noReissue().register();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        String nonce = form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), client.secret()))
                .header("DPoP", proofs.createDPoPJWT("POST", ISSUER_TOKEN_ENDPOINT).serialize())
                .post("/oauth2/token").then().body("error", equalTo("use_dpop_nonce")).extract().header("DPoP-Nonce");
        String proof = proofs.createDPoPJWT("POST", ISSUER_TOKEN_ENDPOINT, new Nonce(nonce)).serialize();
        form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), client.secret()))
                .header("DPoP", proof).post("/oauth2/token").then().statusCode(200).body("token_type", equalTo("DPoP"));
        form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), client.secret()))
                .header("DPoP", proof).post("/oauth2/token").then().body("error", equalTo("invalid_dpop_proof"));
        String elsewhere = proofs.createDPoPJWT("POST", URI.create("https://other.example/oauth2/token"), new Nonce(nonce))
                .serialize();
        form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), client.secret()))
                .header("DPoP", elsewhere).post("/oauth2/token").then().body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void theAdminApiHonoursADpopBoundAdminTokenOnlyWithAProofByItsKey() throws Exception {
        TestClients.Registered admin = clients.client().administrator().register();
        Sql.update(dataSource, "UPDATE token_service.client SET dpop_bound_access_tokens = true WHERE client_id = ?",
                admin.clientId());
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        TokenResponse response = withDpop(proofs, admin.clientId(), admin.secret());
        assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toString());
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        URI clientsUrl = URI.create(ISSUER + "/admin/clients");
        // As a bearer token: refused.
        given().header("Authorization", "Bearer " + token.getValue()).get("/admin/clients").then().statusCode(401);
        // A proof without the nonce this profile requires is answered with one, as a resource answers (RFC 9449 §9).
        String nonce = given().header("Authorization", "DPoP " + token.getValue())
                .header("DPoP", proofs.createDPoPJWT("GET", clientsUrl, token, null).serialize())
                .get("/admin/clients").then().statusCode(401).body("error", equalTo("use_dpop_nonce"))
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("DPoP algs="))
                .extract().header("DPoP-Nonce");
        Nonce current = new Nonce(nonce);
        // With the scheme but a proof by another key (a thief's): refused, and nothing written or charged for it.
        String proofsBefore = Sql.query(dataSource, "SELECT count(*) FROM token_service.seen_assertion WHERE issuer LIKE ?", "dpop %");
        DPoPProofFactory stranger = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        given().header("Authorization", "DPoP " + token.getValue())
                .header("DPoP", stranger.createDPoPJWT("GET", clientsUrl, token, current).serialize())
                .get("/admin/clients").then().statusCode(401).body("error", equalTo("invalid_dpop_proof"));
        assertEquals(proofsBefore, Sql.query(dataSource,
                "SELECT count(*) FROM token_service.seen_assertion WHERE issuer LIKE ?", "dpop %"));
        // With a proof by its key for this request: served.
        given().header("Authorization", "DPoP " + token.getValue())
                .header("DPoP", proofs.createDPoPJWT("GET", clientsUrl, token, current).serialize())
                .get("/admin/clients").then().statusCode(200);
    }

    @Test
    void aProofSentAgainWithTheNonceSpendsNoMoreOfTheQuotaThanOneToken() throws Exception {
        TestClients.Registered client = clients.client().register();
        Sql.update(dataSource, "UPDATE token_service.client SET token_rate_limit = 1 WHERE client_id = ?", client.clientId());
        TokenResponse response = withDpop(new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
                JWSAlgorithm.ES256), client.clientId(), client.secret());
        assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toString());
    }

    @Test
    void discoveryAnnouncesBothBindings() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("tls_client_certificate_bound_access_tokens", equalTo(true))
                .body("dpop_signing_alg_values_supported", hasItems("ES256", "RS256", "EdDSA"))
                .body("token_endpoint_auth_methods_supported", hasItems("tls_client_auth", "self_signed_tls_client_auth"));
    }
}
