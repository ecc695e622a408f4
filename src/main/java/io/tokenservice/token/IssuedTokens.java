package io.tokenservice.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the access tokens a replica signs: {@code token_service_tokens_issued_total{algorithm}}, and
 * {@code token_service_client_tokens_issued_total{client_id}} for the first {@code maxClientSeries} clients to get
 * one; every later client counts under {@code client_id="_other"}, so that the number of series stays bounded
 * however many clients there are (Prometheus keeps every series it ever saw for its retention).
 */
final class IssuedTokens {

    static final String OTHER_CLIENTS = "_other";

    private final MeterRegistry registry;
    private final int maxClientSeries;
    private final Map<String, Counter> byAlgorithm = new ConcurrentHashMap<>();
    private final Map<String, Counter> byClient = new ConcurrentHashMap<>();
    private final Counter otherClients;

    IssuedTokens(MeterRegistry registry, int maxClientSeries) {
        this.registry = registry;
        this.maxClientSeries = maxClientSeries;
        this.otherClients = clientCounter(OTHER_CLIENTS);
    }

    void count(String algorithm, String clientId) {
        // Four algorithms at most: SigningAlgorithm is a closed set.
        byAlgorithm.computeIfAbsent(algorithm, name -> Counter.builder("token_service.tokens.issued")
                .description("Access tokens signed, by JWS algorithm").tag("algorithm", name).register(registry))
                .increment();
        Counter client = byClient.get(clientId);
        if (client == null) {
            // Racing first tokens may let a few more than the bound in; the bound holds to within the core count.
            client = byClient.size() < maxClientSeries ? byClient.computeIfAbsent(clientId, this::clientCounter)
                    : otherClients;
        }
        client.increment();
    }

    private Counter clientCounter(String clientId) {
        return Counter.builder("token_service.client.tokens.issued")
                .description("Access tokens signed per client, for the first token-service.metrics.max-client-series "
                        + "clients; the rest under client_id=\"_other\"")
                .tag("client_id", clientId).register(registry);
    }
}
