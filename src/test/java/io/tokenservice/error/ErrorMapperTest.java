package io.tokenservice.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientExistsException;
import io.tokenservice.client.ClientNotFoundException;
import io.tokenservice.client.secret.HashingFailedException;
import io.tokenservice.client.secret.HashingSaturatedException;
import io.tokenservice.database.StoreUnavailableException;
import io.tokenservice.key.NoSigningKeyException;
import io.tokenservice.key.RotationRefusedException;
import io.tokenservice.key.UnknownKeyException;
import io.tokenservice.throttle.ThrottledException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge's matrix: each failure, thrown alone or wrapped, in the seed's mode and in RFC 6749 mode, becomes one
 * status, one error code, the no-store headers, and the Retry-After or challenge it calls for.
 */
class ErrorMapperTest {

    static final int DATABASE_RETRY_AFTER = 7;

    /** status (seed mode), status (RFC mode), error code, Retry-After, WWW-Authenticate prefix where one is due. */
    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of(OAuthException.invalidRequest("Missing grant_type"), 403, 400, "invalid_request", null, null),
                Arguments.of(new OAuthException(OAuthError.INVALID_SCOPE, "no"), 403, 400, "invalid_scope", null, null),
                Arguments.of(new OAuthException(OAuthError.INVALID_TARGET, "no"), 403, 400, "invalid_target", null, null),
                Arguments.of(new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "no"), 403, 400,
                        "unsupported_grant_type", null, null),
                Arguments.of(new ClientAuthenticationException(AuthenticationFailure.BAD_SECRET), 403, 401, "invalid_client",
                        null, "Basic"),
                Arguments.of(new ClientAuthenticationException(AuthenticationFailure.UNKNOWN_CLIENT), 403, 401,
                        "invalid_client", null, "Basic"),
                Arguments.of(new OAuthException(OAuthError.MISSING_TOKEN, "no"), 401, 401, "unauthorized", null, "Bearer"),
                Arguments.of(new OAuthException(OAuthError.INVALID_TOKEN, "expired"), 401, 401, "invalid_token", null,
                        "Bearer realm=\"token-service\", error=\"invalid_token\""),
                Arguments.of(new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "no"), 403, 403, "insufficient_scope", null,
                        "Bearer realm=\"token-service\", error=\"insufficient_scope\""),
                Arguments.of(OAuthException.invalidField("scope", "bad"), 400, 400, "invalid_client_metadata", null, null),
                Arguments.of(new HashingSaturatedException(), 503, 503, "temporarily_unavailable", "1", null),
                Arguments.of(new NoSigningKeyException(), 503, 503, "temporarily_unavailable", "1", null),
                Arguments.of(new io.tokenservice.key.SigningSaturatedException(), 503, 503, "temporarily_unavailable", "1", null),
                Arguments.of(new HashingFailedException("ran too long", null), 503, 503, "temporarily_unavailable", "1", null),
                Arguments.of(new StoreUnavailableException(new TimeoutException()), 503, 503, "temporarily_unavailable",
                        String.valueOf(DATABASE_RETRY_AFTER), null),
                Arguments.of(new ConnectException("refused"), 503, 503, "temporarily_unavailable",
                        String.valueOf(DATABASE_RETRY_AFTER), null),
                Arguments.of(new ThrottledException(ThrottledException.Limit.SOURCE, "too many", java.time.Duration.ofMillis(11_200)), 429, 429, "slow_down",
                        "12", null),
                Arguments.of(new ClientNotFoundException(), 404, 404, "not_found", null, null),
                Arguments.of(new UnknownKeyException("kid"), 404, 404, "not_found", null, null),
                Arguments.of(new ClientExistsException(), 409, 409, "conflict", null, null),
                Arguments.of(new RotationRefusedException("pending"), 409, 409, "conflict", null, null),
                Arguments.of(new jakarta.persistence.OptimisticLockException(), 409, 409, "conflict", null, null),
                Arguments.of(new IllegalStateException("a bug"), 500, 500, "server_error", null, null),
                Arguments.of(new CompletionException(new HashingSaturatedException()), 503, 503, "temporarily_unavailable",
                        "1", null),
                Arguments.of(new CompletionException(new ClientAuthenticationException(AuthenticationFailure.DISABLED)), 403,
                        401, "invalid_client", null, "Basic"));
    }

    @ParameterizedTest
    @MethodSource("matrix")
    void seedMode(Throwable failure, int seedStatus, int rfcStatus, String code, String retryAfter, String challenge) {
        assertResponse(new ErrorMapper(false, DATABASE_RETRY_AFTER, new FailureMetrics(new SimpleMeterRegistry())).map(failure), seedStatus, code, retryAfter,
                challenged(code, seedStatus) ? challenge : null);
    }

    @ParameterizedTest
    @MethodSource("matrix")
    void rfc6749Mode(Throwable failure, int seedStatus, int rfcStatus, String code, String retryAfter, String challenge) {
        assertResponse(new ErrorMapper(true, DATABASE_RETRY_AFTER, new FailureMetrics(new SimpleMeterRegistry())).map(failure), rfcStatus, code, retryAfter,
                challenged(code, rfcStatus) ? challenge : null);
    }

    /** RFC 6749 §5.2: Basic only with a 401 invalid_client; RFC 6750 §3: Bearer on every bearer error. */
    private static boolean challenged(String code, int status) {
        return code.equals("invalid_client") ? status == 401
                : code.equals("unauthorized") || code.equals("invalid_token") || code.equals("insufficient_scope");
    }

    @Test
    void jaxRsOwnExceptionsKeepTheirResponse() {
        assertEquals(404, new ErrorMapper(false, DATABASE_RETRY_AFTER, new FailureMetrics(new SimpleMeterRegistry())).map(new NotFoundException()).getStatus());
    }

    @Test
    void aServerErrorRevealsNothingOfTheFailure() {
        Response response = new ErrorMapper(false, DATABASE_RETRY_AFTER, new FailureMetrics(new SimpleMeterRegistry())).map(new IllegalStateException("secret detail"));
        ErrorResponse body = (ErrorResponse) response.getEntity();
        assertEquals("Internal server error", body.errorDescription());
    }

    private static void assertResponse(Response response, int status, String code, String retryAfter, String challenge) {
        assertEquals(status, response.getStatus());
        ErrorResponse body = (ErrorResponse) response.getEntity();
        assertEquals(code, body.error());
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
        assertEquals("no-cache", response.getHeaderString("Pragma"));
        assertEquals(retryAfter, response.getHeaderString("Retry-After"));
        String header = response.getHeaderString("WWW-Authenticate");
        if (challenge == null) {
            assertNull(header);
        } else {
            assertEquals(true, header != null && header.startsWith(challenge), header);
        }
    }

    @Test
    void everyAnsweredFailureIsCountedByItsNamedReasonLimitAndCode() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ErrorMapper mapper = new ErrorMapper(false, DATABASE_RETRY_AFTER, new FailureMetrics(registry));
        mapper.map(new ClientAuthenticationException(AuthenticationFailure.BAD_SECRET));
        mapper.map(new RuntimeException(new ClientAuthenticationException(AuthenticationFailure.BAD_SECRET)));
        mapper.map(new ThrottledException(ThrottledException.Limit.TOKEN_QUOTA, "spent", java.time.Duration.ofSeconds(1)));
        mapper.map(new IllegalStateException("boom"));

        assertEquals(2.0, registry.get("token_service.authentication.failures").tag("reason", "bad_secret").counter().count());
        assertEquals(0.0, registry.get("token_service.authentication.failures").tag("reason", "unknown_client").counter().count());
        assertEquals(1.0, registry.get("token_service.throttled.requests").tag("limit", "token_quota").counter().count());
        assertEquals(0.0, registry.get("token_service.throttled.requests").tag("limit", "source").counter().count());
        assertEquals(2.0, registry.get("token_service.errors").tags("error", "invalid_client", "status", "403").counter().count());
        assertEquals(1.0, registry.get("token_service.errors").tags("error", "server_error", "status", "500").counter().count());
    }
}
