package io.tokenservice.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A resource server that knows only our issuer URL, built from the Nimbus OAuth 2.0 SDK and Nimbus JOSE+JWT (used
 * nowhere in production here): it reads the discovery document, obtains a token with client_secret_basic,
 * validates it against jwks_uri with its own JWT processor (typ at+jwt, iss, aud, exp), then introspects and
 * revokes it with the SDK's own requests.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(OAuthLibraryInteropTest.IssuerAtTheTestPort.class)
class OAuthLibraryInteropTest {

    static final String API = "https://api.example.com";
    static final int PORT = freePort();
    static final String ISSUER = "http://localhost:" + PORT;

    public static class IssuerAtTheTestPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", String.valueOf(PORT), "token-service.issuer", ISSUER);
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void resourceServerKnowingOnlyTheIssuerVerifiesOurTokens() throws Exception {
        var client = new TestClients(dataSource, hasher).client().scopes("read", "write").audience(API).register();
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(ISSUER));
        assertTrue(metadata.getGrantTypes().contains(com.nimbusds.oauth2.sdk.GrantType.CLIENT_CREDENTIALS));

        AccessToken token = obtain(metadata, client, new Scope("read"));
        JWTClaimsSet claims = processor(metadata, API).process(token.getValue(), null);
        assertEquals(client.clientId(), claims.getStringClaim("client_id"));
        assertEquals("read", claims.getStringClaim("scope"));
        assertTrue(claims.getExpirationTime().after(new Date()));

        // The same processor refuses the token for another audience: the checks can fail.
        assertThrows(BadJOSEException.class, () -> processor(metadata, "https://other.example.com").process(token.getValue(), null));
    }

    @Test
    void openidConfigurationParsesAsOpenIdProviderMetadata() throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(ISSUER));
        assertEquals(ISSUER + "/.well-known/jwks.json", metadata.getJWKSetURI().toString());
        assertTrue(metadata.getIDTokenJWSAlgs().contains(JWSAlgorithm.RS256));
    }

    @Test
    void sdkIntrospectsAndRevokes() throws Exception {
        TestClients clients = new TestClients(dataSource, hasher);
        var owner = clients.client().scopes("read").audience(API).register();
        var resourceServer = clients.client().register();
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(ISSUER));
        AccessToken token = obtain(metadata, owner, null);

        assertTrue(introspect(metadata, resourceServer, token).isActive());
        var revoked = new TokenRevocationRequest(metadata.getRevocationEndpointURI(), basic(owner), token)
                .toHTTPRequest().send();
        assertEquals(200, revoked.getStatusCode());
        TokenIntrospectionResponse after = TokenIntrospectionResponse.parse(
                new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(), basic(resourceServer), token)
                        .toHTTPRequest().send());
        assertFalse(after.toSuccessResponse().isActive());
    }

    private static com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse introspect(
            AuthorizationServerMetadata metadata, TestClients.Registered caller, AccessToken token) throws Exception {
        return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(),
                basic(caller), token).toHTTPRequest().send()).toSuccessResponse();
    }

    private static AccessToken obtain(AuthorizationServerMetadata metadata, TestClients.Registered client, Scope scope)
            throws Exception {
        TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(), basic(client), new ClientCredentialsGrant(), scope);
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return response.toSuccessResponse().getTokens().getAccessToken();
    }

    private static ClientSecretBasic basic(TestClients.Registered client) {
        return new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.secret()));
    }

    private static DefaultJWTProcessor<SecurityContext> processor(AuthorizationServerMetadata metadata, String audience)
            throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(true).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("exp", "iat", "sub", "jti", "client_id")));
        return processor;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
