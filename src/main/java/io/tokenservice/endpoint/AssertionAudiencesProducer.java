package io.tokenservice.endpoint;

import io.tokenservice.client.assertion.AssertionAudiences;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.Set;

/** Names the URLs a client assertion may be addressed to: the issuer and each endpoint that authenticates clients. */
public class AssertionAudiencesProducer {

    @Produces
    @Singleton
    AssertionAudiences assertionAudiences(TokenServiceConfig config) {
        String base = config.issuer().replaceAll("/+$", "");
        Set<String> values = new LinkedHashSet<>();
        values.add(config.issuer());
        values.add(base);
        values.add(base + Endpoints.TOKEN);
        values.add(base + Endpoints.INTROSPECTION);
        values.add(base + Endpoints.REVOCATION);
        return new AssertionAudiences(Set.copyOf(values));
    }
}
