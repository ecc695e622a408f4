package io.tokenservice.endpoint;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.jose.ServiceAudiences;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Names what a JWT addressed to this service may carry as its audience: the issuer and the token endpoint URL. */
public class ServiceAudiencesProducer {

    @Produces
    @Singleton
    ServiceAudiences assertionAudiences(TokenServiceConfig config, EndpointUrls urls) {
        return new ServiceAudiences(config.issuer(), urls.of(Endpoints.TOKEN));
    }
}
