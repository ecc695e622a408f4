package io.tokenservice.token;

import io.tokenservice.key.SigningAlgorithm;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.key.SigningKey;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The signing ceiling: {@link AccessTokenMinter#signed}, the service's own signature made in place (SmallRye JWT build
 * and sign of an RFC 9068 token), with a generated key of the benchmarked algorithm. Run by bench/run.sh with 1 and 2 threads.
 */
@State(Scope.Benchmark)
public class MintBenchmark {

    @Param({"RS256", "PS256", "ES256", "EdDSA"})
    public String algorithm;

    private AccessTokenMinter minter;
    private final AccessGrant grant = new AccessGrant("bench-client", List.of("read", "write"),
            List.of("https://api.example.com"), Duration.ofSeconds(86400));

    @Setup
    public void setUp() throws Exception {
        Method generate = SigningKey.class.getDeclaredMethod("generate", SigningAlgorithm.class);
        generate.setAccessible(true);
        SigningKey key = (SigningKey) generate.invoke(null, SigningAlgorithm.valueOf(algorithm));
        minter = new AccessTokenMinter("https://auth.example.com", SigningKeys.fixed(key), Clock.systemUTC());
    }

    @Benchmark
    public AccessToken mint() {
        return minter.signed(grant).token();
    }
}
