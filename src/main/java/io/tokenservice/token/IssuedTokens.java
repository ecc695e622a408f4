package io.tokenservice.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the access tokens a replica hands out: {@code token_service_tokens_issued_total{algorithm}} for those it
 * signs and {@code token_service_tokens_reissued_total} for those it hands out again ({@link ReissueWindow}); and per
 * client, {@code token_service_client_tokens_issued_total{client_id}} and
 * {@code token_service_client_tokens_reissued_total{client_id}} for the first
 * {@code token-service.metrics.max-client-series} clients to get one; every later client counts under
 * {@code client_id="_other"}, so that the number of series stays bounded however many clients there are (Prometheus
 * keeps every series it ever saw for its retention).
 */
@Singleton
final class IssuedTokens {

    static final String OTHER_CLIENTS = "_other";

    private final MeterRegistry registry;
    private final Map<String, Counter> byAlgorithm = new ConcurrentHashMap<>();
    private final PerClient signed;
    private final PerClient reissued;
    private final Counter reissuedTotal;

    @Inject
    IssuedTokens(MeterRegistry registry, TokenServiceConfig config) {
        this(registry, config.metrics().maxClientSeries());
    }

    IssuedTokens(MeterRegistry registry, int maxClientSeries) {
        this.registry = registry;
        this.signed = new PerClient(registry, maxClientSeries, "token_service.client.tokens.issued",
                "Access tokens signed per client");
        this.reissued = new PerClient(registry, maxClientSeries, "token_service.client.tokens.reissued",
                "Access tokens handed out again per client (it asked again while its token had most of its life left)");
        this.reissuedTotal = Counter.builder("token_service.tokens.reissued")
                .description("Access tokens handed out again instead of signed anew").register(registry);
    }

    void count(String algorithm, String clientId) {
        // Four algorithms at most: SigningAlgorithm is a closed set.
        byAlgorithm.computeIfAbsent(algorithm, name -> Counter.builder("token_service.tokens.issued")
                .description("Access tokens signed, by JWS algorithm").tag("algorithm", name).register(registry))
                .increment();
        signed.increment(clientId);
    }

    void countReissued(String clientId) {
        reissuedTotal.increment();
        reissued.increment(clientId);
    }

    /** One counter per client for the first {@code maxSeries} clients, then one for all the others. */
    private static final class PerClient {
        private final MeterRegistry registry;
        private final int maxSeries;
        private final String name;
        private final String description;
        private final Map<String, Counter> byClient = new ConcurrentHashMap<>();
        private final Counter others;

        PerClient(MeterRegistry registry, int maxSeries, String name, String description) {
            this.registry = registry;
            this.maxSeries = maxSeries;
            this.name = name;
            this.description = description + ", for the first token-service.metrics.max-client-series clients; the "
                    + "rest under client_id=\"_other\"";
            this.others = counter(OTHER_CLIENTS);
        }

        void increment(String clientId) {
            Counter client = byClient.get(clientId);
            if (client == null) {
                // Racing first tokens may let a few more than the bound in; the bound holds to within the core count.
                client = byClient.size() < maxSeries ? byClient.computeIfAbsent(clientId, this::counter) : others;
            }
            client.increment();
        }

        private Counter counter(String clientId) {
            return Counter.builder(name).description(description).tag("client_id", clientId).register(registry);
        }
    }
}
