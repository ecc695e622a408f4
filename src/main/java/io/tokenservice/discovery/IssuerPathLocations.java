package io.tokenservice.discovery;

import io.tokenservice.config.TokenServiceConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * For an issuer with a path ({@code https://host/tenant}), serves the metadata where RFC 8414 §3.1 inserts the
 * path ({@code /.well-known/oauth-authorization-server/tenant}) and where OpenID Connect Discovery §4.1 appends
 * the well-known name ({@code /tenant/.well-known/openid-configuration}), by routing them to the plain documents
 * of {@link DiscoveryResource}. The paths are compared as strings before routing: no pattern runs over the
 * caller's path (a {@code .+} template backtracks over every prefix of it). Other paths there are 404 as usual.
 */
public class IssuerPathLocations {

    private final String issuerPath;

    IssuerPathLocations(TokenServiceConfig config) {
        String path = URI.create(config.issuer()).getPath();
        this.issuerPath = path == null ? "" : path.replaceAll("/+$", "");
    }

    @ServerRequestFilter(preMatching = true)
    public void route(ContainerRequestContext request) {
        if (issuerPath.isEmpty()) {
            return;
        }
        String path = request.getUriInfo().getPath();
        String plain = path.equals("/" + DiscoveryResource.OAUTH + issuerPath)
                || path.equals("/" + DiscoveryResource.OAUTH + issuerPath + "/") ? DiscoveryResource.OAUTH
                : path.equals(issuerPath + "/" + DiscoveryResource.OPENID) ? DiscoveryResource.OPENID : null;
        if (plain != null) {
            request.setRequestUri(request.getUriInfo().getBaseUriBuilder().path(plain).build());
        }
    }
}
