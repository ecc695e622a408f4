package io.tokenservice.client.assertion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenservice.jose.ServiceAudiences;
import io.tokenservice.jose.UnverifiedJwt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The claim rules of RFC 7523 §3 as one table: each row breaks one rule of an otherwise valid assertion. Issue 18,
 * point 7 (b): aud is one string, the issuer or the token endpoint URL; arrays and other endpoints' URLs are refused.
 */
class AssertionRulesTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String TOKEN_ENDPOINT = "https://auth.example.com/oauth2/token";
    static final ServiceAudiences AUDIENCES = new ServiceAudiences("https://auth.example.com", TOKEN_ENDPOINT);
    static final Duration MAX_LIFETIME = Duration.ofHours(1);
    static final Duration SKEW = Duration.ofSeconds(30);

    record Row(String name, List<String> audience, boolean audienceIsString, Instant exp, Instant iat, Instant nbf,
            String jti, String problem) {

        Row(String name, List<String> audience, Instant exp, Instant iat, Instant nbf, String jti, String problem) {
            this(name, audience, audience.size() == 1, exp, iat, nbf, jti, problem);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Row valid(String name) {
        return new Row(name, List.of(TOKEN_ENDPOINT), NOW.plusSeconds(300), NOW, null, "jti-1", null);
    }

    static Stream<Arguments> rows() {
        Row ok = valid("valid");
        return Stream.of(
                ok,
                new Row("issuer as audience", List.of("https://auth.example.com"), ok.exp(), ok.iat(), null, "j", null),
                new Row("one of several audiences", List.of("https://x.example", TOKEN_ENDPOINT), ok.exp(), ok.iat(), null, "j", "aud"),
                new Row("the token endpoint in an array", List.of(TOKEN_ENDPOINT), false, ok.exp(), ok.iat(), null, "j", "aud"),
                new Row("the issuer in an array", List.of("https://auth.example.com"), false, ok.exp(), ok.iat(), null, "j", "aud"),
                new Row("the introspection endpoint", List.of("https://auth.example.com/oauth2/introspect"), ok.exp(), ok.iat(),
                        null, "j", "aud"),
                new Row("the issuer with a trailing slash", List.of("https://auth.example.com/"), ok.exp(), ok.iat(), null,
                        "j", "aud"),
                new Row("another audience", List.of("https://other.example/token"), ok.exp(), ok.iat(), null, "j", "aud"),
                new Row("no audience", List.of(), ok.exp(), ok.iat(), null, "j", "aud"),
                new Row("no exp", ok.audience(), null, ok.iat(), null, "j", "no exp"),
                new Row("expired", ok.audience(), NOW.minusSeconds(31), NOW.minusSeconds(60), null, "j", "expired"),
                new Row("expired within the skew", ok.audience(), NOW.minusSeconds(29), NOW.minusSeconds(60), null, "j", null),
                new Row("nbf in the future", ok.audience(), ok.exp(), ok.iat(), NOW.plusSeconds(60), "j", "not valid before"),
                new Row("nbf within the skew", ok.audience(), ok.exp(), ok.iat(), NOW.plusSeconds(20), "j", null),
                new Row("iat in the future", ok.audience(), NOW.plusSeconds(600), NOW.plusSeconds(60), null, "j", "issued in the future"),
                new Row("lives an hour exactly", ok.audience(), NOW.plus(MAX_LIFETIME), NOW, null, "j", null),
                new Row("lives longer than an hour", ok.audience(), NOW.plus(MAX_LIFETIME).plusSeconds(1), NOW, null, "j", "lives longer"),
                new Row("no iat, exp too far from now", ok.audience(), NOW.plus(Duration.ofHours(2)), null, null, "j", "lives longer"),
                new Row("no iat, exp near", ok.audience(), NOW.plusSeconds(60), null, null, "j", null),
                new Row("no jti", ok.audience(), ok.exp(), ok.iat(), null, null, "no jti"),
                new Row("empty jti", ok.audience(), ok.exp(), ok.iat(), null, "", "no jti"),
                new Row("jti too long", ok.audience(), ok.exp(), ok.iat(), null, "j".repeat(257), "no jti"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRuleIsCheckedOnItsOwn(Row row) {
        UnverifiedJwt assertion = new UnverifiedJwt(null, "RS256", Optional.empty(), "client", "client",
                row.audience(), row.audienceIsString(), row.exp(), row.iat(), row.nbf(), row.jti(), java.util.Map.of());
        Optional<String> problem = AssertionRules.problem(assertion, AUDIENCES, MAX_LIFETIME, NOW, SKEW);
        assertEquals(row.problem() == null, problem.isEmpty(), () -> row + ": " + problem);
        problem.ifPresent(found -> assertEquals(true, found.startsWith(row.problem()), () -> row + ": " + found));
    }

    record FederatedRow(String name, Instant iat, String jti, boolean jtiRequired, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> federatedRows() {
        Duration maxAge = Duration.ofMinutes(10);
        return Stream.of(
                new FederatedRow("young, reusable, no jti", NOW.minusSeconds(60), null, false, null),
                new FederatedRow("young, single use, a jti", NOW.minusSeconds(60), "j", true, null),
                new FederatedRow("single use without jti", NOW.minusSeconds(60), null, true, "no jti"),
                new FederatedRow("no iat", null, "j", false, "no iat"),
                new FederatedRow("exactly the maximum age plus skew", NOW.minus(maxAge).minus(SKEW), "j", false, null),
                new FederatedRow("older than the maximum age", NOW.minus(maxAge).minus(SKEW).minusSeconds(1), "j", false,
                        "older than"),
                new FederatedRow("issued in the future", NOW.plusSeconds(120), "j", false, "issued in the future"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("federatedRows")
    void aFederatedTokenNeedsAnIatWithinTheIssuersAgeAndAJtiOnlyWhenSingleUse(FederatedRow row) {
        UnverifiedJwt token = new UnverifiedJwt(null, "RS256", Optional.empty(), "https://k8s.example",
                "system:serviceaccount:ns:sa", List.of(TOKEN_ENDPOINT), false, NOW.plusSeconds(3600), row.iat(), null,
                row.jti(), java.util.Map.of());
        Optional<String> problem = io.tokenservice.jose.JwtRules.issuerTokenProblem(token, AUDIENCES.defaults(), Duration.ofMinutes(10),
                row.jtiRequired(), NOW, SKEW);
        assertEquals(row.problem() == null, problem.isEmpty(), () -> row + ": " + problem);
        problem.ifPresent(found -> assertEquals(true, found.startsWith(row.problem()), () -> row + ": " + found));
    }
}
