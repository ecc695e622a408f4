package io.tokenservice.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Latency histograms for every endpoint: Quarkus times each request as {@code http_server_requests_seconds}
 * (tagged by method, route template and status); these buckets make it {@code _bucket} series, so that
 * Prometheus can compute percentiles across replicas ({@code histogram_quantile}). Twelve buckets, from 1 ms (a
 * cached client's token) to 10 s (the verification time limit).
 */
@Singleton
public class EndpointLatency {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    static final double[] BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000)
            .mapToDouble(millis -> Duration.ofMillis(millis).toNanos()).toArray();

    @Produces
    @Singleton
    MeterFilter endpointHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS).build().merge(config);
            }
        };
    }
}
