package io.tokenservice.endpoint;

import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The one owner of where the service's endpoints are reached: under the issuer, as discovery publishes them, and
 * under {@code token-service.mtls.endpoint-base}, the separate mutual-TLS listener's alias (RFC 8705 §5), when there
 * is one. Trailing slashes of either base are not doubled.
 */
@ApplicationScoped
public class EndpointUrls {

    private final String base;
    private final Optional<String> mtlsBase;

    @Inject
    EndpointUrls(TokenServiceConfig config) {
        this(config.issuer(), config.mtls().endpointBase());
    }

    EndpointUrls(String issuer, Optional<String> mtlsBase) {
        this.base = withoutTrailingSlash(issuer);
        this.mtlsBase = mtlsBase.map(EndpointUrls::withoutTrailingSlash);
    }

    /** The URL of the endpoint at {@code path} (one of {@link Endpoints}) under the issuer. */
    public String of(String path) {
        return base + path;
    }

    /** Its URL under the mutual-TLS alias, when there is one. */
    public Optional<String> mtlsAliasOf(String path) {
        return mtlsBase.map(mtls -> mtls + path);
    }

    /** Every URL the endpoint at {@code path} is reached at: what a DPoP proof's {@code htu} may name. */
    public Set<String> every(String path) {
        Set<String> urls = new LinkedHashSet<>();
        urls.add(of(path));
        mtlsAliasOf(path).ifPresent(urls::add);
        return Set.copyOf(urls);
    }

    /** Whether a separate mutual-TLS listener is published. */
    public boolean hasMtlsAlias() {
        return mtlsBase.isPresent();
    }

    private static String withoutTrailingSlash(String url) {
        return url.replaceAll("/+$", "");
    }
}
