package io.tokenservice.clientfile;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.tokenservice.admin.clients.ClientMetadataParser;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clients file read and applied on one replica against the real database: what it creates, changes, adopts and
 * removes, with the admin API's audit (actor {@code config}) and token cut-offs; the admin API showing declared
 * clients and refusing to change them; an older copy never applied over a newer one; every error of a bad file
 * listed. (Two replicas, the file changed under them and the {@code plan} command: {@code ClientsAsCodeIT}.)
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ClientFileTest {

    @Inject
    ClientFile reader;

    @Inject
    ClientMetadataParser parser;

    @Inject
    ClientFileSync sync;

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    Path directory;
    TestClients.Registered administrator;
    String admin;

    @BeforeEach
    void setUp() throws Exception {
        directory = Files.createTempDirectory("clients-file");
        administrator = new TestClients(dataSource, hasher).client().administrator().register();
        admin = AdminTokens.issued(administrator);
    }

    private Path write(String name, String content) throws Exception {
        Path file = directory.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** A hash file holding the hash of {@code secret}, as a mounted Secret's key would. */
    private Path hashOf(String secret) throws Exception {
        return write("hash-" + UUID.randomUUID(), hasher.hash(secret).await().indefinitely() + "\n");
    }

    private ClientFile.Declaration declaration(Path file) {
        ClientFile.Reading reading = reader.read(file, true);
        assertTrue(reading.errors().isEmpty(), reading.errors().toString());
        return reading.declaration().orElseThrow();
    }

    private ClientFileSync.Result apply(Path file, long knownGeneration) throws Throwable {
        ClientFile.Declaration declaration = declaration(file);
        return VertxContextSupport.subscribeAndAwait(() -> sync.apply(declaration, knownGeneration));
    }

    private String audit(String clientId) throws Exception {
        return Sql.query(dataSource, "SELECT string_agg(actor || ' ' || action, ', ' ORDER BY id) FROM "
                + "token_service.admin_audit WHERE client_id = ?", clientId).strip();
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void aDeclaredClientIsCreatedByActorConfigAndGetsTokensWithItsSecret() throws Throwable {
        String clientId = id("declared");
        String secret = TestClients.randomSecret();
        apply(write("clients.yaml", """
                clients:
                  - client_id: %s
                    scope: orders.read
                    client_secret_hash_file: %s
                """.formatted(clientId, hashOf(secret))), -1);

        clientCredentials(clientId, secret).post("/oauth2/token").then().statusCode(200)
                .body("scope", equalTo("orders.read"));
        assertEquals("config client.registered", audit(clientId));
        given().auth().oauth2(admin).get("/admin/clients/" + clientId).then().statusCode(200)
                .body("source", equalTo("config"));
    }

    @Test
    void theAdminApiRefusesToChangeOrRemoveADeclaredClientButMayRetireItsTokens() throws Throwable {
        String clientId = id("declared");
        apply(write("clients.yaml", """
                clients:
                  - client_id: %s
                    client_secret_hash_file: %s
                """.formatted(clientId, hashOf(TestClients.randomSecret()))), -1);

        given().auth().oauth2(admin).contentType("application/json").body("{\"scope\":\"more\"}")
                .patch("/admin/clients/" + clientId).then().statusCode(409).body("error", equalTo("conflict"));
        given().auth().oauth2(admin).post("/admin/clients/" + clientId + "/secret").then().statusCode(409);
        given().auth().oauth2(admin).delete("/admin/clients/" + clientId).then().statusCode(409);
        given().auth().oauth2(admin).contentType("application/json").body("{\"client_id\":\"" + clientId + "\"}")
                .post("/admin/clients").then().statusCode(409);
        given().auth().oauth2(admin).post("/admin/clients/" + clientId + "/revoke-tokens").then().statusCode(204);
        assertEquals("config client.registered, admin-client client.tokens_revoked".replace("admin-client",
                administrator.clientId()), audit(clientId));
    }

    @Test
    void takingAScopeAwayInTheFileRetiresTheTokensIssuedBefore() throws Throwable {
        String clientId = id("declared");
        String secret = TestClients.randomSecret();
        Path hash = hashOf(secret);
        String file = """
                clients:
                  - client_id: %s
                    scope: %s
                    client_secret_hash_file: %s
                """;
        apply(write("clients.yaml", file.formatted(clientId, "a b", hash)), -1);
        String token = clientCredentials(clientId, secret).post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");

        ClientFileSync.Result result = apply(write("clients.yaml", file.formatted(clientId, "a", hash)), -1);

        assertEquals(List.of("~ change " + clientId + ": scope"),
                result.changes().stream().map(ClientFilePlan.Change::describe).toList());
        form("token=" + token).header("Authorization", basicRaw(administrator.clientId(), administrator.secret()))
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(false));
        assertTrue(Sql.query(dataSource, "SELECT details FROM token_service.admin_audit WHERE client_id = ? AND action = "
                + "'client.updated'", clientId).contains("tokens_revoked=true"));
        form("grant_type=client_credentials&scope=b").header("Authorization", basicRaw(clientId, secret))
                .post("/oauth2/token").then().statusCode(403)
                .body("error", equalTo("invalid_scope"));
    }

    @Test
    void anApiClientUnderADeclaredIdIsAConflictThatKeepsTheWholeFileUnapplied() throws Throwable {
        String taken = id("taken");
        String other = id("other");
        new TestClients(dataSource, hasher).client().clientId(taken).scopes("mine").register();
        ClientFile.Declaration declaration = declaration(write("clients.yaml", """
                clients:
                  - client_id: %s
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://%s.example.com/jwks.json
                  - client_id: %s
                    scope: theirs
                    client_secret_hash_file: %s
                """.formatted(other, other, taken, hashOf(TestClients.randomSecret()))));

        ClientFileRefusedException refused = assertThrows(ClientFileRefusedException.class,
                () -> VertxContextSupport.subscribeAndAwait(() -> sync.apply(declaration, -1)));

        assertEquals(1, refused.conflicts().size());
        assertTrue(refused.conflicts().get(0).startsWith(taken + ": the admin API registered"), refused.getMessage());
        given().auth().oauth2(admin).get("/admin/clients/" + taken).then().body("source", equalTo("api"))
                .body("scope", equalTo("mine"));
        given().auth().oauth2(admin).get("/admin/clients/" + other).then().statusCode(404);
    }

    @Test
    void theOrderOfFederatedCredentialsIsNoChange() throws Throwable {
        String clientId = id("federated");
        String file = """
                clients:
                  - client_id: %s
                    token_endpoint_auth_method: federated_jwt
                    federated_credentials:
                      - {issuer: "https://issuer.example.com", subject: "%s"}
                      - {issuer: "https://issuer.example.com", subject: "%s"}
                """;
        apply(write("clients.yaml", file.formatted(clientId, "system:serviceaccount:a:a", "system:serviceaccount:b:b")), -1);

        ClientFileSync.Result again = apply(write("clients.yaml",
                file.formatted(clientId, "system:serviceaccount:b:b", "system:serviceaccount:a:a")), -1);

        assertEquals(List.of(), again.changes());
    }

    @Test
    void aClientLeftOutOfTheFileIsRemovedAndAnApiClientItDeclaresIsAdopted() throws Throwable {
        String leaving = id("leaving");
        String adopted = id("adopted");
        new TestClients(dataSource, hasher).client().clientId(adopted).register();
        String secret = TestClients.randomSecret();
        apply(write("clients.yaml", """
                clients:
                  - client_id: %s
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://%s.example.com/jwks.json
                """.formatted(leaving, leaving)), -1);

        ClientFileSync.Result result = apply(write("clients.yaml", """
                clients:
                  - client_id: %s
                    adopt: true
                    scope: read
                    client_secret_hash_file: %s
                """.formatted(adopted, hashOf(secret))), -1);

        assertEquals(List.of("- remove " + leaving, "~ adopt " + adopted + ": scope; secret replaced"),
                result.changes().stream().map(ClientFilePlan.Change::describe).toList());
        given().auth().oauth2(admin).get("/admin/clients/" + leaving).then().statusCode(404);
        given().auth().oauth2(admin).get("/admin/clients/" + adopted).then().statusCode(200)
                .body("source", equalTo("config")).body("scope", equalTo("read"));
        clientCredentials(adopted, secret).post("/oauth2/token").then().statusCode(200);
        assertEquals("config client.registered, config client.deleted", audit(leaving));
        assertEquals("config client.adopted, config client.updated", audit(adopted));
    }

    @Test
    void applyingWhatIsAppliedChangesNothing() throws Throwable {
        String clientId = id("declared");
        Path file = write("clients.yaml", """
                clients:
                  - client_id: %s
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://%s.example.com/jwks.json
                """.formatted(clientId, clientId));
        assertEquals(ClientFileSync.Outcome.APPLIED, apply(file, -1).outcome());

        assertEquals(ClientFileSync.Outcome.UNCHANGED, apply(file, -1).outcome());
        assertEquals("config client.registered", audit(clientId));
    }

    @Test
    void aCopyOlderThanWhatAnotherReplicaAppliedSinceIsNotApplied() throws Throwable {
        String clientId = id("declared");
        String file = """
                clients:
                  - client_id: %s
                    scope: %s
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://%s.example.com/jwks.json
                """;
        long before = apply(write("old.yaml", file.formatted(clientId, "old", clientId)), -1).generation();
        // Another replica applies the new file; this one still has the old copy, read when `before` was current.
        apply(write("new.yaml", file.formatted(clientId, "new", clientId)), before);

        ClientFileSync.Result result = apply(write("old-copy.yaml", file.formatted(clientId, "old", clientId)), before);

        assertEquals(ClientFileSync.Outcome.BEHIND, result.outcome());
        given().auth().oauth2(admin).get("/admin/clients/" + clientId).then().body("scope", equalTo("new"));
    }

    @Test
    void aNewSecretHashKeepsThePreviousValidForItsGraceWindow() throws Throwable {
        String clientId = id("rotated");
        String oldSecret = TestClients.randomSecret();
        String newSecret = TestClients.randomSecret();
        String file = """
                clients:
                  - client_id: %s
                    client_secret_hash_file: %s
                    previous_secret_valid_for: 3600
                """;
        apply(write("clients.yaml", file.formatted(clientId, hashOf(oldSecret))), -1);

        ClientFileSync.Result result = apply(write("clients.yaml", file.formatted(clientId, hashOf(newSecret))), -1);

        assertEquals(List.of("~ change " + clientId + ": secret replaced"),
                result.changes().stream().map(ClientFilePlan.Change::describe).toList());
        clientCredentials(clientId, newSecret).post("/oauth2/token").then().statusCode(200);
        clientCredentials(clientId, oldSecret).post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void everyErrorOfABadFileIsListedAndNoDeclarationIsMade() throws Exception {
        Path bad = write("bad.yaml", """
                clients:
                  - client_id: one
                    scope: "bad\\u0001scope"
                    client_secret: a-plaintext-secret-that-must-never-be-here
                  - token_endpoint_auth_method: magic
                  - client_id: one
                    client_secret_hash_file: /nonexistent/hash
                  - client_id: keys
                    token_endpoint_auth_method: private_key_jwt
                  - client_id: hashed
                    client_secret_hash: "$2b$10$16p8B0lqvt742OV3ocMKJuboa/k/y6vX6yxgOsC0GfcgJ1NGSPP1i"
                  - client_id: secretless
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://secretless.example.com/jwks.json
                    client_secret_hash_env: SOME_HASH
                extra: true
                """);

        ClientFile.Reading reading = reader.read(bad, true);

        assertTrue(reading.declaration().isEmpty());
        List<String> expected = List.of(
                "unknown top-level key 'extra'",
                "clients[0] (one): client_secret: a plaintext secret never goes in the file",
                "clients[0] (one): scope tokens must be RFC 6749 section 3.3 characters",
                "clients[1]: client_id is required",
                "clients[1]: token_endpoint_auth_method must be",
                "clients[2] (one): client_id is declared twice",
                "clients[2] (one): client_secret_hash_file: /nonexistent/hash does not exist",
                "clients[3] (keys): A private_key_jwt client needs jwks or jwks_uri",
                "clients[4] (hashed): client_secret_hash: the hash goes in a Secret",
                "clients[5] (secretless): a private_key_jwt client has no secret");
        assertEquals(expected.size(), reading.errors().size(), String.join("\n", reading.errors()));
        for (String error : expected) {
            assertTrue(reading.errors().stream().anyMatch(line -> line.contains(error)),
                    error + " not in " + reading.errors());
        }
    }

    @Test
    void aFileThatIsNotAClientsListSaysSo() throws Exception {
        for (Map.Entry<String, String> file : Map.of(
                "not valid YAML at line 1", "clients: [unclosed",
                "a top-level 'clients:' list", "- client_id: a\n",
                "must be a mapping of client metadata", "clients:\n  - just-a-string\n").entrySet()) {
            ClientFile.Reading reading = reader.read(write("bad.yaml", file.getValue()), true);
            assertTrue(reading.errors().size() == 1 && reading.errors().get(0).contains(file.getKey()),
                    file.getKey() + ": " + reading.errors());
        }
    }

    @Test
    void yamlIsReadStrictlyAndItsErrorsNeverQuoteTheFile() throws Exception {
        for (List<String> file : List.of(
                List.of("a key given twice", "clients: []\nclients:\n  - client_id: hidden\n"),
                List.of("aliases (*name) are not allowed", "clients:\n  - client_id: a\n    audience: &aud [x]\n"
                        + "  - client_id: b\n    audience: *aud\n"),
                List.of("not valid YAML at line 3", "clients: []\n---\nclients: []\n"),
                List.of("not valid YAML at line", "clients:\n  - client_id: a\n    client_secret: \"sec:ret-unclosed\n"))) {
            ClientFile.Reading reading = reader.read(write("strict.yaml", file.get(1)), true);
            assertTrue(reading.errors().size() == 1 && reading.errors().get(0).contains(file.get(0)),
                    file.get(0) + ": " + reading.errors());
            assertTrue(!reading.errors().get(0).contains("sec:ret"), reading.errors().get(0));
        }
    }

    @Test
    void theBootstrapAdminCannotBeDeclared() throws Exception {
        ClientFile withBootstrap = new ClientFile(parser, hasher, java.util.Optional.of("ops-admin"), name -> null);

        ClientFile.Reading reading = withBootstrap.read(write("clients.yaml", """
                clients:
                  - client_id: ops-admin
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://ops.example.com/jwks.json
                """), true);

        assertEquals(1, reading.errors().size(), reading.errors().toString());
        assertTrue(reading.errors().get(0).contains("the bootstrap admin's"), reading.errors().get(0));
    }

    @Test
    void aHashFileHoldingSomethingElseIsRefusedWithoutShowingIt() throws Exception {
        Path notAHash = write("not-a-hash", "the-plaintext-secret-by-mistake\n");
        ClientFile.Reading reading = reader.read(write("clients.yaml", """
                clients:
                  - client_id: mistaken
                    client_secret_hash_file: %s
                """.formatted(notAHash)), true);

        assertEquals(1, reading.errors().size(), reading.errors().toString());
        assertTrue(reading.errors().get(0).contains("is not an Argon2id"), reading.errors().get(0));
        assertTrue(!reading.errors().get(0).contains("the-plaintext-secret"), reading.errors().get(0));
    }

    @Test
    void theExampleOverlaysClientsFileIsValid() {
        ClientFile.Reading reading = reader.read(Path.of("deploy/kubernetes/overlays/example/clients.yaml"), false);

        assertEquals(List.of(), reading.errors());
        assertEquals(3, reading.declaration().orElseThrow().clients().size());
    }

    @Test
    void anEmptyClientsListRemovesEveryDeclaredClient() throws Throwable {
        String clientId = id("declared");
        apply(write("clients.yaml", """
                clients:
                  - client_id: %s
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://%s.example.com/jwks.json
                """.formatted(clientId, clientId)), -1);

        apply(write("clients.yaml", "clients: []\n"), -1);

        given().auth().oauth2(admin).get("/admin/clients/" + clientId).then().statusCode(404);
    }
}
