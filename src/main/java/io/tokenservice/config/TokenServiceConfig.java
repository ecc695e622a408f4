package io.tokenservice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every knob of the service, under the {@code token-service} prefix (environment: {@code TOKEN_SERVICE_*}).
 * Defaults are documented in {@code application.properties} and in {@code docs/configuration.md}, whose table
 * {@code ConfigurationReferenceTest} checks against this mapping.
 */
@ConfigMapping(prefix = "token-service")
public interface TokenServiceConfig {

    /**
     * The {@code iss} claim of every access token, an https URL in production; required there (dev mode and the
     * tests default to http://localhost:8080), so that no deployment signs for localhost by mistake.
     */
    String issuer();

    /**
     * Base64 of the 256-bit AES key that encrypts signing keys stored in the database (env
     * {@code TOKEN_SERVICE_KEY_ENCRYPTION_KEY}); required in production unless keys come from PEM files.
     */
    Optional<String> keyEncryptionKey();

    /**
     * Key-encryption keys used before the current one, base64, comma-separated (env
     * {@code TOKEN_SERVICE_KEY_ENCRYPTION_KEYS_PREVIOUS}): they open signing keys sealed under them, which are then
     * re-sealed under the current key.
     */
    Optional<List<String>> keyEncryptionKeysPrevious();

    Token token();

    Keys keys();

    Revocation revocation();

    Discovery discovery();

    Errors errors();

    Hashing hashing();

    Database database();

    Bootstrap bootstrap();

    Admin admin();

    Throttle throttle();

    Quota quota();

    Cache cache();

    Metrics metrics();

    Assertions assertions();

    Reissue reissue();

    Signing signing();

    Mtls mtls();

    Dpop dpop();

    /**
     * Mutual TLS (RFC 8705): client certificates for {@code tls_client_auth} and {@code self_signed_tls_client_auth},
     * and certificate-bound access tokens. A certificate comes from the HTTPS listener, which asks for one and leaves
     * every check to the service, or from a trusted proxy's header.
     */
    interface Mtls {
        /**
         * PEM files of the certificate authorities a {@code tls_client_auth} client's certificate must chain to
         * (PKIX, at the time of the request). None: no {@code tls_client_auth} client can authenticate.
         */
        Optional<List<Path>> caFiles();

        /**
         * The header a trusted proxy (a peer in {@code quarkus.http.proxy.trusted-proxies}) forwards the client's
         * certificate in: {@code Client-Cert} (RFC 9440) or {@code X-Forwarded-Client-Cert} (Envoy). Unset, no
         * header is read; from any other peer, the header counts as nothing.
         */
        Optional<String> proxyHeader();

        /**
         * The proxies (IP addresses or CIDR blocks) whose certificate header is believed; default
         * {@code quarkus.http.proxy.trusted-proxies}. Keep it to the proxies themselves: whoever can send from these
         * addresses can name any certificate.
         */
        Optional<List<String>> trustedProxies();

        /**
         * Whether a token request that presents a certificate gets a certificate-bound token though its client is
         * not registered with {@code tls_client_certificate_bound_access_tokens}.
         */
        @WithDefault("false")
        boolean bindPresentedCertificates();

        /**
         * The base URL of a separate listener for mutual TLS (e.g. {@code https://mtls.example.com}): discovery lists
         * the endpoints under it as {@code mtls_endpoint_aliases}, and DPoP proofs may name it.
         */
        Optional<String> endpointBase();
    }

    /** DPoP (RFC 9449): proof-of-possession tokens bound to a key the client holds. */
    interface Dpop {
        /** How old a proof's {@code iat} may be (and, past the clock skew, how far ahead). */
        @WithDefault("60s")
        Duration proofMaxAge();

        /** Whether a proof must carry a nonce this service issued ({@code use_dpop_nonce}, RFC 9449 §8). */
        @WithDefault("false")
        boolean nonceRequired();

        /** How long a nonce is accepted after it was issued (it is renewed in every response). */
        @WithDefault("5m")
        Duration nonceLifetime();

        /** DPoP proofs a client may present per minute per replica (each is remembered against replay). */
        @WithDefault("6000")
        int proofsPerClientPerMinute();
    }

    /** Client assertions: private_key_jwt (RFC 7523 §2.2). */
    interface Assertions {
        /**
         * Longest life an assertion may have: its {@code exp} at most this long after its {@code iat} (after now
         * when it has no iat). Accepted assertions are remembered this long, on every replica, against replay.
         */
        @WithDefault("1H")
        Duration maxLifetime();

        /**
         * Single-use assertions (private_key_jwt, and federated tokens of issuers that do not allow reuse) a client
         * may present per minute per replica, at the token, introspection and revocation endpoints together; each
         * is a row in the replay store, kept until the assertion expires. Beyond, 429 slow_down before any write.
         */
        @WithDefault("1200")
        int singleUsePerClientPerMinute();

        /** Replay-store writes a replica runs at once; more wait in a bounded queue (beyond it, 503). */
        @WithDefault("4")
        int maxConcurrentWrites();

        Jwks jwks();

        /** Key sets fetched from a client's {@code jwks_uri}. */
        interface Jwks {
            /** The whole fetch (connect, headers, body) must finish within this. */
            @WithDefault("3S")
            Duration timeout();

            /** Largest JWK Set document accepted, in bytes. */
            @WithDefault("65536")
            int maxBytes();

            /** A fetched set is used this long, then fetched again (a failed refetch keeps the old one). */
            @WithDefault("5M")
            Duration cacheFor();

            /**
             * The longest a set is used after it was fetched while fetching it again fails (a URL taken down keeps
             * its last keys this long, no longer); at least cache-for.
             */
            @WithDefault("1H")
            Duration maxStale();

            /** An assertion with a kid the set lacks refetches it, at most once per this interval per URL. */
            @WithDefault("30S")
            Duration minRefetchInterval();

            /** Key sets held in memory, one per URL. */
            @WithDefault("10000")
            int maxCached();

            /** Whether a jwks_uri may be plain http; only https otherwise. For development and tests. */
            @WithDefault("false")
            boolean allowHttp();

            /**
             * PEM files of the CA certificates to trust when fetching key sets and discovery documents (e.g. a
             * Kubernetes cluster's CA); unset: the JVM's trusted CAs.
             */
            Optional<List<Path>> trustCertificates();
        }
    }

    Clients clients();

    /** Clients as code: clients declared in a file the deployment mounts (a ConfigMap), applied by the replicas. */
    interface Clients {
        /**
         * The YAML file of declared clients (a top-level {@code clients:} list in the admin API's field names); none
         * by default. Applied at start and whenever it (or a secret hash file it names) changes.
         */
        Optional<Path> file();

        /** How often the file, and the secret hash files it names, are looked at for a change. */
        @WithDefault("5S")
        Duration fileCheckInterval();
    }

    TransactionTokens transactionTokens();

    /** Transaction tokens (draft-ietf-oauth-transaction-tokens), asked for through token exchange. */
    interface TransactionTokens {
        /**
         * The trust domain: the aud of every transaction token, which no one outside it accepts and no access token
         * carries; none by default, and then no transaction tokens are issued.
         */
        Optional<String> trustDomain();

        /** How long a transaction token lives (never longer than the token it was exchanged for). */
        @WithDefault("5M")
        Duration ttl();
    }

    Federation federation();

    /** Federated workload identity: clients authenticated by tokens of trusted issuers. */
    interface Federation {
        /** How often every replica re-reads the trusted issuers, besides the change notifications it listens for. */
        @WithDefault("60S")
        Duration refreshInterval();

        /** Trusted issuers listed in configuration (GitOps), by name; the admin API shows them, read-only. */
        Map<String, TrustedIssuer> trustedIssuers();

        interface TrustedIssuer {
            /** The iss its tokens carry, exactly. */
            String issuer();

            /** Where its JWK Set is; with neither this nor jwks, found through its discovery document. */
            Optional<String> jwksUri();

            /** Its JWK Set document, inline. */
            Optional<String> jwks();

            /** The aud its tokens must name one of; default the token endpoint URL and the issuer. */
            Optional<List<String>> audiences();

            /** The oldest a token may be (now - iat). */
            @WithDefault("1H")
            Duration maxTokenAge();

            /** Whether one token may authenticate several requests within its lifetime. */
            @WithDefault("false")
            boolean allowReuse();
        }
    }

    interface Metrics {
        /**
         * Clients that get a series of their own in {@code token_service_client_tokens_issued_total}: the first
         * this many to get a token on a replica; the rest count under {@code client_id="_other"}. 0 for none.
         */
        @WithDefault("100")
        int maxClientSeries();
    }

    interface Token {
        /** Access-token lifetime for clients without one of their own; the seed's default is 24 h. */
        @WithDefault("86400S")
        Duration ttl();

        /** The {@code aud} claim for clients without a registered audience; the issuer when unset. */
        Optional<List<String>> audience();

        /** Largest access-token lifetime an administrator may give a client. */
        @WithDefault("604800S")
        Duration maxTtl();

        /** Largest accepted request body of the token endpoint, introspection and revocation, in bytes. */
        @WithDefault("8192")
        int maxRequestBytes();

        /**
         * Clock difference tolerated between replicas and verifiers: our own checks accept a token this long
         * past its {@code exp}, and a retired key stays published this much longer.
         */
        @WithDefault("30S")
        Duration clockSkew();

        /**
         * Up to this percentage of a token's lifetime is taken off at random, so that a fleet of clients started
         * together does not come back together; 0 (the default) for exact lifetimes, at most 50.
         */
        @WithDefault("0")
        int expiryJitterPercent();
    }

    /** Where access tokens are signed (see {@code key.SigningLane}). */
    interface Signing {
        /** Threads that sign, taking requests first come first served; default one per core; 0 signs on the event loop. */
        Optional<Integer> threads();

        /** Signatures that may wait for a thread; beyond, 503 with Retry-After. */
        @WithDefault("1024")
        int maxQueued();
    }

    /**
     * A client that asks again with the same request while the token this replica issued it has enough of its life
     * left gets that token back, unsigned anew (see {@code token.ReissueWindow}).
     */
    interface Reissue {
        /** Whether repeat requests may get the token already issued; a client opts out with {@code "reissue": false}. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The share of its lifetime a token must still have to be handed out again, between 0 and 1, for clients
         * without a {@code reissue_min_remaining} of their own.
         */
        @WithDefault("0.5")
        double minRemaining();

        /** Tokens a replica keeps for reissue, over all clients. */
        @WithDefault("10000")
        int maxEntries();

        /** Tokens a replica keeps for reissue per client: its distinct requests (scopes, resources). */
        @WithDefault("8")
        int maxEntriesPerClient();
    }

    interface Keys {
        /**
         * The JWS algorithm of access tokens (RFC 7518 §3.1): RS256, PS256, ES256 or EdDSA. A name, read by the key
         * package, so that configuration depends on nothing else of the service.
         */
        @WithDefault("RS256")
        String algorithm();

        /**
         * PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}) of an operator-managed key; when unset, keys are
         * managed in the database and rotated.
         */
        Optional<Path> privateKeyFile();

        /** X.509 SubjectPublicKeyInfo PEM public key ({@code BEGIN PUBLIC KEY}) matching the private key. */
        Optional<Path> publicKeyFile();

        /** How long a new key is published in the JWKS before it signs anything. */
        @WithDefault("1H")
        Duration publishAhead();

        /** How long a key signs before the next one takes over. */
        @WithDefault("720H")
        Duration rotationPeriod();

        /** How often every replica re-reads the keys besides the change notifications; shorter than publish-ahead. */
        @WithDefault("60S")
        Duration refreshInterval();

        /**
         * A replica that has not read the keys for this long stops signing, and is not ready, until it reads them
         * again: a key retired meanwhile could otherwise go on signing there. Longer than refresh-interval.
         */
        @WithDefault("5M")
        Duration maxStaleness();
    }

    interface Revocation {
        /** How often every replica reads the revocations made through the others, besides the notifications. */
        @WithDefault("60S")
        Duration refreshInterval();

        /** Revocations a replica holds in memory; beyond, it asks PostgreSQL for the tokens it does not hold. */
        @WithDefault("100000")
        int maxInMemory();

        /** Tokens a client may revoke per minute per replica; beyond, 429 slow_down. */
        @WithDefault("60")
        int maxPerClientPerMinute();
    }

    interface Discovery {
        /** The {@code scopes_supported} of the discovery document; omitted when unset. */
        Optional<List<String>> scopesSupported();
    }

    interface Errors {
        /**
         * The seed answers every invalid token request with 403. When true, errors use the statuses of
         * RFC 6749 §5.2 instead: 400, and 401 with {@code WWW-Authenticate: Basic} for invalid_client.
         */
        @WithName("rfc6749-status")
        @WithDefault("false")
        boolean rfc6749Status();
    }

    interface Hashing {
        /** Threads that verify and create secret hashes; defaults to the number of CPU cores. */
        OptionalInt workers();

        /** Verifications that may wait for a worker; beyond it a request gets a fast 503. */
        @WithDefault("256")
        int queueSize();

        /**
         * CPU, in cores, that slow verifications may use on this replica on average, 0 for no limit; beyond it a
         * request that needs one gets a fast 503. Bounds what a flood of wrong secrets takes from cached clients.
         */
        @WithDefault("0")
        double maxCpuCores();

        /**
         * Longest a slow verification may run before its request gets a 503; the worker finishes it anyway,
         * bounded by the hash parameters import accepts.
         */
        @WithDefault("10S")
        Duration verificationTimeout();

        /**
         * Argon2id memory cost in KiB for new hashes: OWASP's m=7 MiB, t=5, as strong as m=19 MiB, t=2 for a third
         * of the memory. A secret whose stored hash has another cost is hashed again when it is next verified.
         */
        @WithDefault("7168")
        int argon2MemoryKib();

        /** Argon2id iterations for new hashes (with 7168 KiB, OWASP's 5). */
        @WithDefault("5")
        int argon2Iterations();

        /**
         * Argon2id memory, in KiB, all hashing lanes together may hold at once; a hash waits for its share. A hash
         * asking for more than all of it runs alone. Default: a third of the maximum heap, at most 40960 (the image
         * gives the heap a quarter of the container's limit: 16 MiB, two hashes at once, in 192 MiB).
         */
        OptionalInt maxMemoryKib();

        /** Argon2id parallelism for new hashes. */
        @WithDefault("1")
        int argon2Parallelism();
    }

    interface Database {
        /** Longest wait for the database within a request before answering 503. */
        @WithDefault("3S")
        Duration timeout();

        /** The {@code Retry-After} seconds sent with a 503 while the database is unreachable. */
        @WithDefault("5")
        int retryAfterSeconds();

        /**
         * Whether this process migrates the schema when it starts (the default); false where a migration job
         * ({@code java -jar quarkus-run.jar migrate}) does it, and a replica only checks that the schema is current.
         */
        @WithDefault("true")
        boolean migrateAtStart();

        /**
         * How often the connection that listens for change notifications is asked {@code SELECT 1}; one that does not
         * answer within {@link #timeout} is replaced, so a connection a NAT forgot does not silence notifications.
         */
        @WithDefault("30S")
        Duration listenHeartbeat();
    }

    interface Cache {
        ClientCacheConfig clients();

        SecretCacheConfig secrets();
    }

    interface ClientCacheConfig {
        /** Clients kept in memory per replica. */
        @WithDefault("10000")
        long maxSize();

        /** Longest a cached client is used without re-reading it, the bound when a change notification is lost. */
        @WithDefault("30S")
        Duration maxStaleness();

        /** Client lookups a replica runs at once against the database; more wait in a bounded queue. */
        @WithDefault("4")
        int maxConcurrentLoads();

        /** Listen for PostgreSQL change notifications (off behind poolers that cannot LISTEN). */
        @WithDefault("true")
        boolean listen();
    }

    interface SecretCacheConfig {
        /** Clients whose verified secrets are remembered per replica. */
        @WithDefault("10000")
        long maxSize();

        /** Longest a verified secret is remembered before the slow hash is run again. */
        @WithDefault("1H")
        Duration maxAge();
    }

    interface Bootstrap {
        /** Client id of the admin client created at the first startup on a database, with scope {@code admin}. */
        Optional<String> adminClientId();

        /** Its secret, at least 32 characters in production. */
        Optional<String> adminClientSecret();

        /**
         * {@code create-once}: the admin client is created at the first startup on a database and never touched
         * again; {@code enforce}: every startup re-creates it, restores its scope and audience and resets its
         * secret to the configured one.
         */
        @WithDefault("create-once")
        BootstrapMode mode();
    }

    enum BootstrapMode {
        CREATE_ONCE,
        ENFORCE
    }

    interface Throttle {
        /** Failed client authentications a source address may make per minute; beyond, 429 without hashing. */
        @WithDefault("30")
        int failuresPerSourcePerMinute();

        /**
         * Failed authentications a client id may take per minute; beyond, the sources that failed for it get 429,
         * while sources that have not keep working.
         */
        @WithDefault("20")
        int failuresPerClientPerMinute();

        /** Sources, clients and pairs tracked per replica, each (the least recently used are forgotten first). */
        @WithDefault("100000")
        long maxTracked();

        /**
         * The bits of an IPv6 address that make it one source (1 to 128): 64, the block a subscriber holds; a
         * cloud subnet shared by many workloads may want 128.
         */
        @WithDefault("64")
        int ipv6PrefixLength();
    }

    interface Quota {
        /** Tokens a client may get per minute per replica unless it has a token_rate_limit of its own; 0: none. */
        @WithDefault("0")
        int tokensPerMinute();
    }

    interface Admin {
        /** The audience an access token must carry to be accepted by the admin API; default the issuer + "/admin". */
        Optional<String> audience();

        /** Longest lifetime of a token that carries the admin audience. */
        @WithDefault("15M")
        Duration tokenTtl();
    }
}
