package io.tokenservice.health;

import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only with a signing key loaded and read recently enough ({@code token-service.keys.max-staleness}); the
 * database half of readiness is {@link DatabaseReadiness}.
 */
@Readiness
@ApplicationScoped
public class SigningKeyReadiness implements HealthCheck {

    private final SigningKeys keys;

    SigningKeyReadiness(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        boolean stale = keys.stale();
        SigningKey key = keys.published().isEmpty() || stale ? null : keys.active();
        return HealthCheckResponse.named("signing-key")
                .status(key != null)
                .withData("stale", stale)
                .withData("loaded_at", String.valueOf(keys.loadedAt()))
                .withData("kid", key == null ? "none" : key.kid())
                .withData("alg", key == null ? "none" : key.algorithm().name())
                // Stored keys no key-encryption key of this replica opens: skipped, never fatal for the others.
                .withData("unreadable_kids", String.join(",", keys.unreadable()))
                .build();
    }
}
