package io.tokenservice.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.tokenservice.admin.GeneratedSecret;
import io.tokenservice.admin.BootstrapAdminClient;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Dev mode without a configured bootstrap admin: creates the admin client {@code dev-admin} once and prints its
 * credentials that one time, so a newcomer can get a first token. Absent from every other build profile.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevAdminClient {

    static final String CLIENT_ID = "dev-admin";

    private final BootstrapAdminClient bootstrap;
    private final boolean bootstrapConfigured;

    DevAdminClient(BootstrapAdminClient bootstrap, TokenServiceConfig config) {
        this.bootstrap = bootstrap;
        this.bootstrapConfigured = config.bootstrap().adminClientId().isPresent();
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (bootstrapConfigured) {
            return;
        }
        boolean exists = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> RegisteredClient.<RegisteredClient>findById(CLIENT_ID)))
                != null;
        if (exists) {
            System.out.printf("%nDev mode: admin client '%s' exists; its secret was printed when it was created "
                    + "(delete .devdb/ to start over).%n%n", CLIENT_ID);
            return;
        }
        String secret = GeneratedSecret.next();
        VertxContextSupport.subscribeAndAwait(() -> bootstrap.ensure(CLIENT_ID, secret));
        System.out.printf("%n=== Dev mode: created admin client (shown once) ===%n"
                + "  client_id:     %s%n  client_secret: %s%n"
                + "  curl -s -u '%s:%s' -d grant_type=client_credentials http://localhost:8080/oauth2/token%n%n",
                CLIENT_ID, secret, CLIENT_ID, secret);
    }
}
