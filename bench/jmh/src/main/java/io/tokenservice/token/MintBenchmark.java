package io.tokenservice.token;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.key.SigningAlgorithm;
import io.tokenservice.key.SigningKeys;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The signing ceiling: {@link AccessTokenMinter#mint} of the service itself (SmallRye JWT build and sign of an
 * RFC 9068 token), with a generated key of the benchmarked algorithm. Run by bench/run.sh with 1 and 2 threads.
 */
@State(Scope.Benchmark)
public class MintBenchmark {

    @Param({"RS256", "ES256"})
    public String algorithm;

    private AccessTokenMinter minter;
    private final AccessGrant grant = new AccessGrant("bench-client", List.of("read", "write"),
            List.of("https://api.example.com"), Duration.ofSeconds(86400));

    @Setup
    public void setUp() throws Exception {
        TokenServiceConfig.Keys keys = stub(TokenServiceConfig.Keys.class, "algorithm", SigningAlgorithm.valueOf(algorithm),
                "privateKeyFile", Optional.empty(), "publicKeyFile", Optional.empty());
        TokenServiceConfig config = stub(TokenServiceConfig.class, "keys", keys);
        Constructor<SigningKeys> signingKeys = SigningKeys.class.getDeclaredConstructor(TokenServiceConfig.class);
        signingKeys.setAccessible(true);
        minter = new AccessTokenMinter("https://auth.example.com", signingKeys.newInstance(config), Clock.systemUTC());
    }

    @Benchmark
    public AccessToken mint() {
        return minter.mint(grant);
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Object... answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            for (int i = 0; i < answers.length; i += 2) {
                if (answers[i].equals(method.getName())) {
                    return answers[i + 1];
                }
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
