package io.tokenservice.clientfile;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.tokenservice.admin.clients.ClientMetadataParser;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the clients file ({@code token-service.clients.file}): YAML with a top-level {@code clients:} list whose
 * entries use the admin API's field names, validated by the admin API's own rules, every error listed. A client with
 * a secret names where its hash is, never the secret: {@code client_secret_hash_file} (a key of a mounted Kubernetes
 * Secret) or {@code client_secret_hash_env} (an environment variable set from one); {@code previous_secret_valid_for}
 * keeps the hash it replaces valid that many seconds; {@code adopt: true} lets it take over a client the admin API
 * registered under its id. YAML is read strictly: no key twice, no aliases, one document. Reading blocks: callers run
 * it off the event loop.
 */
@ApplicationScoped
public class ClientFile {

    // Below SnakeYAML's own limit (3 MB of text); a client is a few hundred bytes.
    static final int MAX_FILE_BYTES = 2 * 1024 * 1024;
    // Applied in one transaction; far above what one deployment declares.
    static final int MAX_CLIENTS = 1_000;
    private static final int MAX_HASH_BYTES = 1024;
    static final String HASH_FILE = "client_secret_hash_file";
    static final String HASH_ENV = "client_secret_hash_env";
    static final String PREVIOUS_VALID_FOR = "previous_secret_valid_for";
    static final String ADOPT = "adopt";
    private static final Set<String> FILE_ONLY = Set.of(HASH_FILE, HASH_ENV, PREVIOUS_VALID_FOR, ADOPT);

    /**
     * A client as the file declares it: the client it describes, its secret hash (or null), the hash's grace, and
     * whether it may take over a client the admin API registered under its id ({@code adopt: true}).
     */
    public record DeclaredClient(RegisteredClient client, JsonNode metadata, String secretHash, long previousValidFor,
            boolean adopt) {
        public String clientId() {
            return client.clientId;
        }
    }

    /** A valid file: its clients in file order, and a digest of everything read (the file and the hashes). */
    public record Declaration(List<DeclaredClient> clients, String digest) {
    }

    /** What a read found: a declaration, or every error and no declaration. */
    public record Reading(Optional<Declaration> declaration, List<String> errors) {
        static Reading invalid(List<String> errors) {
            return new Reading(Optional.empty(), List.copyOf(errors));
        }
    }

    // A key given twice (the first silently lost), or a second document after ---, is an error, not a guess.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ClientMetadataParser parser;
    private final SecretHasher hasher;
    private final Optional<String> bootstrapAdmin;
    private final Function<String, String> environment;

    @Inject
    ClientFile(ClientMetadataParser parser, SecretHasher hasher, TokenServiceConfig config) {
        this(parser, hasher, config.bootstrap().adminClientId().filter(id -> !id.isBlank()), System::getenv);
    }

    ClientFile(ClientMetadataParser parser, SecretHasher hasher, Optional<String> bootstrapAdmin,
            Function<String, String> environment) {
        this.parser = parser;
        this.hasher = hasher;
        this.bootstrapAdmin = bootstrapAdmin;
        this.environment = environment;
    }

    /**
     * Reads and validates {@code file}. With {@code resolveSecrets} false (a plan where the Secrets are not at hand)
     * each secret client must still name one place for its hash, which is not read.
     */
    public Reading read(Path file, boolean resolveSecrets) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return Reading.invalid(List.of(file + ": larger than " + MAX_FILE_BYTES + " bytes"));
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Reading.invalid(List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        JsonNode document;
        try {
            if (hasAlias(bytes)) {
                return Reading.invalid(List.of(file + ": YAML aliases (*name) are not allowed: write each value out"));
            }
            document = YAML.readTree(bytes);
        } catch (JacksonException e) {
            // Where, never what: the offending line may hold a secret pasted by mistake.
            JsonLocation at = e.getLocation();
            return Reading.invalid(List.of(file + ": not valid YAML" + (at == null ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                            ? " (a key given twice)" : "")));
        } catch (IOException e) {
            return Reading.invalid(List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        List<String> errors = new ArrayList<>();
        JsonNode clients = document == null ? null : document.get("clients");
        if (document == null || !document.isObject() || clients == null || !(clients.isArray() || clients.isNull())) {
            return Reading.invalid(List.of(file + ": must be a mapping with a top-level 'clients:' list"));
        }
        document.fieldNames().forEachRemaining(name -> {
            if (!name.equals("clients")) {
                errors.add(file + ": unknown top-level key '" + name + "' (only 'clients:')");
            }
        });
        if (clients.size() > MAX_CLIENTS) {
            return Reading.invalid(List.of(file + ": more than " + MAX_CLIENTS + " clients"));
        }
        MessageDigest digest = sha256();
        digest.update(bytes);
        List<DeclaredClient> declared = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            JsonNode entry = clients.get(i);
            String where = "clients[" + i + "]" + (entry.path("client_id").isTextual()
                    ? " (" + entry.get("client_id").textValue() + ")" : "");
            int before = errors.size();
            if (entry.path("client_id").isTextual() && !ids.add(entry.get("client_id").textValue())) {
                errors.add(where + ": client_id is declared twice");
            }
            Optional<DeclaredClient> client = client(entry, where, resolveSecrets, errors);
            if (errors.size() == before) {
                client.ifPresent(declared::add);
                client.map(DeclaredClient::secretHash).ifPresent(hash -> {
                    digest.update((byte) 0);
                    digest.update(hash.getBytes(StandardCharsets.UTF_8));
                });
            }
        }
        if (!errors.isEmpty()) {
            return Reading.invalid(errors);
        }
        return new Reading(Optional.of(new Declaration(List.copyOf(declared), HexFormat.of().formatHex(digest.digest()))),
                List.of());
    }

    /** Whether the YAML uses an alias, which Jackson would read as the anchor's name rather than its value. */
    private static boolean hasAlias(byte[] bytes) throws IOException {
        try (JsonParser tokens = YAML.createParser(bytes)) {
            while (tokens.nextToken() != null) {
                if (tokens instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One entry, its errors added to {@code errors}; empty when it has any. */
    private Optional<DeclaredClient> client(JsonNode entry, String where, boolean resolveSecrets, List<String> errors) {
        if (!entry.isObject()) {
            errors.add(where + ": must be a mapping of client metadata");
            return Optional.empty();
        }
        ObjectNode metadata = ((ObjectNode) entry).deepCopy();
        FILE_ONLY.forEach(metadata::remove);
        int before = errors.size();
        if (!metadata.path("client_id").isTextual()) {
            errors.add(where + ": client_id is required: a declared client's id is the file's");
        } else if (bootstrapAdmin.filter(metadata.get("client_id").textValue()::equals).isPresent()) {
            errors.add(where + ": client_id is the bootstrap admin's (token-service.bootstrap.admin-client-id), which "
                    + "the bootstrap owns");
        }
        JsonNode adopt = entry.get(ADOPT);
        if (adopt != null && !adopt.isBoolean()) {
            errors.add(where + ": " + ADOPT + " must be true or false");
        }
        if (metadata.has("client_secret")) {
            errors.add(where + ": client_secret: a plaintext secret never goes in the file; give its hash in a Secret, "
                    + "by " + HASH_FILE + " or " + HASH_ENV);
            metadata.remove("client_secret");
        }
        if (metadata.has("client_secret_hash")) {
            errors.add(where + ": client_secret_hash: the hash goes in a Secret, named by " + HASH_FILE + " or "
                    + HASH_ENV);
            metadata.remove("client_secret_hash");
        }
        for (Iterator<String> names = metadata.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("created_at") || name.equals("updated_at") || name.equals("source")) {
                errors.add(where + ": " + name + " is not declared: the service keeps it");
            }
        }
        List.of("created_at", "updated_at", "source").forEach(metadata::remove);
        parser.fieldErrors(metadata).forEach(e -> errors.add(where + ": " + e.description()));
        long grace = previousValidFor(entry.get(PREVIOUS_VALID_FOR), where, errors);
        if (errors.size() > before) {
            return Optional.empty();
        }
        RegisteredClient client;
        try {
            client = parser.registration(metadata).client();
        } catch (OAuthException e) {
            errors.add(where + ": " + e.description());
            return Optional.empty();
        }
        client.source = RegisteredClient.CONFIG;
        Optional<String> hash = secretHash(entry, client, where, resolveSecrets, errors);
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new DeclaredClient(client, metadata, hash.orElse(null), grace,
                adopt != null && adopt.booleanValue()));
    }

    /** The hash of a secret client, from the one place it names; nothing for a client without a secret. */
    private Optional<String> secretHash(JsonNode entry, RegisteredClient client, String where, boolean resolve,
            List<String> errors) {
        JsonNode file = entry.get(HASH_FILE);
        JsonNode env = entry.get(HASH_ENV);
        boolean named = file != null && !file.isNull() || env != null && !env.isNull();
        if (!client.authMethod.usesSecret()) {
            if (named || entry.has(PREVIOUS_VALID_FOR)) {
                errors.add(where + ": a " + client.authMethod.value() + " client has no secret (" + HASH_FILE + ", "
                        + HASH_ENV + ", " + PREVIOUS_VALID_FOR + ")");
            }
            return Optional.empty();
        }
        if (file != null && !file.isNull() && env != null && !env.isNull()) {
            errors.add(where + ": give " + HASH_FILE + " or " + HASH_ENV + ", not both");
            return Optional.empty();
        }
        if (!named) {
            errors.add(where + ": a " + client.authMethod.value() + " client needs its secret's hash: " + HASH_FILE
                    + " (a mounted Secret's key) or " + HASH_ENV);
            return Optional.empty();
        }
        JsonNode reference = file != null && !file.isNull() ? file : env;
        String field = reference == file ? HASH_FILE : HASH_ENV;
        if (!reference.isTextual() || reference.textValue().isBlank()) {
            errors.add(where + ": " + field + " must be a " + (reference == file ? "file path" : "variable name"));
            return Optional.empty();
        }
        if (!resolve) {
            return Optional.of("");
        }
        Optional<String> value = reference == file ? hashFile(reference.textValue(), where, errors)
                : Optional.ofNullable(environment.apply(reference.textValue())).map(String::strip)
                        .or(() -> {
                            errors.add(where + ": " + HASH_ENV + ": environment variable " + reference.textValue()
                                    + " is not set");
                            return Optional.empty();
                        });
        if (value.isPresent() && !hasher.isSupported(value.get())) {
            // Not the value: it might be a secret put there by mistake.
            errors.add(where + ": " + field + ": what it holds is not an Argon2id or PBKDF2-SHA256 PHC string or a "
                    + "bcrypt hash");
            return Optional.empty();
        }
        return value;
    }

    private static Optional<String> hashFile(String path, String where, List<String> errors) {
        try {
            if (!Files.isRegularFile(Path.of(path))) {
                // Not a device or a pipe, whose read could block the check for good.
                errors.add(where + ": " + HASH_FILE + ": " + path + " does not exist or is not a regular file");
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            errors.add(where + ": " + HASH_FILE + ": " + path + " is not a file path");
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            byte[] bytes = in.readNBytes(MAX_HASH_BYTES + 1);
            if (bytes.length > MAX_HASH_BYTES) {
                errors.add(where + ": " + HASH_FILE + ": " + path + " is larger than a hash");
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            errors.add(where + ": " + HASH_FILE + ": " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    private static long previousValidFor(JsonNode value, String where, List<String> errors) {
        try {
            return ClientMetadataParser.previousSecretValidFor(value);
        } catch (OAuthException e) {
            errors.add(where + ": " + e.description());
            return 0;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, DeclaredClient> byId(Declaration declaration) {
        Map<String, DeclaredClient> byId = new java.util.LinkedHashMap<>();
        declaration.clients().forEach(client -> byId.put(client.clientId(), client));
        return byId;
    }
}
