package io.tokenservice.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenservice.key.ScheduledKey;
import java.time.Instant;

/**
 * A signing key as the admin API shows it: never its private half.
 *
 * @param status {@code pending} (published, not yet signing), {@code active} (signing) or {@code retiring}
 *     (published until the last token it signed expires)
 */
public record KeyView(String kid, String alg, @JsonProperty("activates_at") Instant activatesAt, String status) {

    static KeyView of(ScheduledKey key, String status) {
        return new KeyView(key.key().kid(), key.key().algorithm().name(), key.activatesAt(), status);
    }
}
