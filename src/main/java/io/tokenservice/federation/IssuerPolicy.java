package io.tokenservice.federation;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A trusted issuer as the token path applies it: where its keys are and what its tokens must satisfy.
 *
 * @param name its name (admin API or configuration)
 * @param issuer the iss its tokens carry
 * @param jwks its JWK Set document, if inline
 * @param jwksUri where its JWK Set is, if not inline; with neither, its discovery document says
 * @param audiences the aud its tokens must name one of
 * @param maxTokenAge the oldest a token may be (now - iat)
 * @param allowReuse whether one token may authenticate several requests within its lifetime
 * @param source {@code database} (the admin API) or {@code config}
 */
public record IssuerPolicy(String name, String issuer, Optional<String> jwks, Optional<String> jwksUri,
        Set<String> audiences, Duration maxTokenAge, boolean allowReuse, String source) {

    public static final String DATABASE = "database";
    public static final String CONFIG = "config";
}
