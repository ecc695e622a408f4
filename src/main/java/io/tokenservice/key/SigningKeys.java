package io.tokenservice.key;

import io.quarkus.runtime.Startup;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The service's signing keys: the one that signs now, and every key the JWKS publishes. Loaded once at startup
 * from the configured PEM files; without them a key pair is generated, with a warning, because its tokens do
 * not survive a restart and replicas would each publish a different key.
 */
@ApplicationScoped
@Startup
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final SigningKey active;

    SigningKeys(TokenServiceConfig config) {
        this.active = load(config.keys());
    }

    /** The key that signs access tokens. */
    public SigningKey active() {
        return active;
    }

    /** Every key a verifier may meet in a token we issued, for {@code /.well-known/jwks.json}. */
    public List<SigningKey> published() {
        return List.of(active);
    }

    private static SigningKey load(TokenServiceConfig.Keys keys) {
        Optional<Path> privateKeyFile = keys.privateKeyFile();
        Optional<Path> publicKeyFile = keys.publicKeyFile();
        if (privateKeyFile.isPresent() != publicKeyFile.isPresent()) {
            throw new IllegalStateException("set both token-service.keys.private-key-file and "
                    + "token-service.keys.public-key-file, or neither");
        }
        if (privateKeyFile.isPresent()) {
            SigningKey key = PemKeyFiles.read(keys.algorithm(), privateKeyFile.get(), publicKeyFile.get());
            LOG.infof("Signing access tokens with %s key %s from %s", key.algorithm(), key.kid(), privateKeyFile.get());
            return key;
        }
        var pair = keys.algorithm().generateKeyPair();
        SigningKey key = SigningKey.of(keys.algorithm(), pair.getPrivate(), pair.getPublic());
        LOG.warnf("No signing key configured (token-service.keys.private-key-file): generated %s key %s. Tokens it "
                + "signs become unverifiable when this process restarts, and each replica publishes a different "
                + "key. Configure PEM key files for production.", key.algorithm(), key.kid());
        return key;
    }
}
