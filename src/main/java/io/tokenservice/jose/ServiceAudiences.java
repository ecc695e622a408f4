package io.tokenservice.jose;

import java.util.Set;

/**
 * What identifies this service as the audience of a JWT presented to it (a client assertion, a trusted issuer's
 * token, a subject token): its issuer identifier, and its token endpoint URL. A private_key_jwt assertion names one of them as its sole {@code aud}, a single string
 * (draft-ietf-oauth-rfc7523bis: the issuer identifier; the token endpoint URL stays for today's libraries, which send
 * it as RFC 7523 §3 suggested). The URLs of other endpoints are never accepted: an assertion made for one endpoint
 * of an authorization server must not be replayable at another server that shares it. A trusted issuer's tokens
 * name one of {@link #defaults} unless the issuer says otherwise. Produced where those URLs are known
 * ({@code endpoint.ServiceAudiencesProducer}).
 *
 * @param issuer our issuer identifier, exactly as configured
 * @param tokenEndpoint the URL of our token endpoint
 */
public record ServiceAudiences(String issuer, String tokenEndpoint) {

    /** Whether {@code iss} is our issuer identifier, trailing slashes aside: a token of ours, not another issuer's. */
    public boolean isOurIssuer(String iss) {
        return withoutTrailingSlash(iss).equals(withoutTrailingSlash(issuer));
    }

    private static String withoutTrailingSlash(String url) {
        return url.replaceAll("/+$", "");
    }

    /** The audiences a trusted issuer's tokens must name one of, when it was given none. */
    public Set<String> defaults() {
        return Set.of(issuer, tokenEndpoint);
    }
}
