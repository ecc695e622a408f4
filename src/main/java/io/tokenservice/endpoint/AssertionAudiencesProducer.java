package io.tokenservice.endpoint;

import io.tokenservice.client.assertion.AssertionAudiences;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Names what a JWT addressed to this service may carry as its audience: the issuer and the token endpoint URL. */
public class AssertionAudiencesProducer {

    @Produces
    @Singleton
    AssertionAudiences assertionAudiences(TokenServiceConfig config) {
        return new AssertionAudiences(config.issuer(), config.issuer().replaceAll("/+$", "") + Endpoints.TOKEN);
    }
}
