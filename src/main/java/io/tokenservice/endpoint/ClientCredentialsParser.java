package io.tokenservice.endpoint;

import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAssertion;
import io.tokenservice.client.ClientAuthentication;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientCertificate;
import io.tokenservice.client.ClientCredentials;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.client.PresentedCertificate;
import io.tokenservice.error.OAuthException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads how a form endpoint's request authenticates its client: {@link ClientCredentials} from the Authorization
 * header (client_secret_basic) or from the form body (client_secret_post), RFC 6749 §2.3.1, or a
 * {@link ClientAssertion} from the form body (RFC 7521 §4.2), or a {@link ClientCertificate} (RFC 8705 §2). Throws {@link OAuthException} invalid_request for a
 * malformed header, a half-given assertion or two methods in one request, and
 * {@link ClientAuthenticationException} for no credentials or a scheme other than Basic
 * ({@link AuthenticationFailure#NO_CREDENTIALS}) and for an assertion type other than JWT bearer
 * ({@link AuthenticationFailure#MALFORMED_ASSERTION}).
 */
public final class ClientCredentialsParser {

    private static final String BASIC = "Basic ";

    private ClientCredentialsParser() {
    }

    public static ClientAuthentication parse(List<String> authorizationHeaders, Optional<String> bodyClientId,
            Optional<String> bodySecret, Optional<String> assertionType, Optional<String> assertion) {
        return parse(authorizationHeaders, bodyClientId, bodySecret, assertionType, assertion, Optional.empty());
    }

    /**
     * The same, for a request that came with {@code certificate}: with no other credentials and a {@code client_id}
     * in the form, it is the client's {@link ClientCertificate} (RFC 8705 §2); with other credentials, it is theirs.
     */
    public static ClientAuthentication parse(List<String> authorizationHeaders, Optional<String> bodyClientId,
            Optional<String> bodySecret, Optional<String> assertionType, Optional<String> assertion,
            Optional<PresentedCertificate> certificate) {
        boolean header = authorizationHeaders != null && !authorizationHeaders.isEmpty();
        if (certificate.isPresent() && bodyClientId.isPresent() && !header && bodySecret.isEmpty()
                && assertionType.isEmpty() && assertion.isEmpty()) {
            return new ClientCertificate(bodyClientId.get(), certificate.get());
        }
        if (assertionType.isEmpty() && assertion.isEmpty()) {
            return parse(authorizationHeaders, bodyClientId, bodySecret);
        }
        if (header || bodySecret.isPresent()) {
            // RFC 6749 §2.3: the client MUST NOT use more than one authentication method per request.
            throw OAuthException.invalidRequest("Use either a client assertion or a client secret, not both");
        }
        // RFC 7521 §4.2: client_assertion_type and client_assertion are both REQUIRED.
        if (assertionType.isEmpty()) {
            throw OAuthException.invalidRequest("client_assertion requires client_assertion_type");
        }
        if (assertion.isEmpty()) {
            throw OAuthException.invalidRequest("client_assertion_type requires client_assertion");
        }
        if (!assertionType.get().equals(ClientAssertion.JWT_BEARER)) {
            throw new ClientAuthenticationException(AuthenticationFailure.MALFORMED_ASSERTION);
        }
        return new ClientAssertion(bodyClientId, assertion.get());
    }

    /** The secret a request presents, when it has no client assertion. */
    public static ClientCredentials parse(List<String> authorizationHeaders, Optional<String> bodyClientId,
            Optional<String> bodySecret) {
        if (authorizationHeaders != null && authorizationHeaders.size() > 1) {
            throw OAuthException.invalidRequest("Only one Authorization header is allowed");
        }
        String header = authorizationHeaders == null || authorizationHeaders.isEmpty() ? null : authorizationHeaders.get(0);
        if (header != null) {
            if (bodySecret.isPresent()) {
                // RFC 6749 §2.3: the client MUST NOT use more than one authentication method per request.
                throw OAuthException.invalidRequest("Use either HTTP Basic or client_secret in the body, not both");
            }
            ClientCredentials basic = fromBasic(header);
            if (bodyClientId.isPresent()
                    && basic.candidates().stream().noneMatch(c -> c.clientId().equals(bodyClientId.get()))) {
                throw OAuthException.invalidRequest("client_id does not match the Authorization header");
            }
            return basic;
        }
        if (bodySecret.isPresent()) {
            if (bodyClientId.isEmpty()) {
                throw OAuthException.invalidRequest("client_secret requires client_id");
            }
            return new ClientCredentials(ClientAuthMethod.CLIENT_SECRET_POST,
                    List.of(new Candidate(bodyClientId.get(), bodySecret.get())));
        }
        // RFC 6749 §5.2: no client authentication included.
        throw new ClientAuthenticationException(AuthenticationFailure.NO_CREDENTIALS);
    }

    private static ClientCredentials fromBasic(String header) {
        // RFC 7235 §2.1: the scheme is case-insensitive.
        if (header.length() < BASIC.length() || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            throw new ClientAuthenticationException(AuthenticationFailure.NO_CREDENTIALS);
        }
        String userPass = decodeBase64Utf8(header.substring(BASIC.length()).trim());
        int colon = userPass.indexOf(':');
        if (colon <= 0 || colon == userPass.length() - 1) {
            throw OAuthException.invalidRequest("Malformed Basic credentials");
        }
        Candidate raw = new Candidate(userPass.substring(0, colon), userPass.substring(colon + 1));
        Candidate decoded = formUrlDecoded(raw);
        List<Candidate> candidates = decoded == null || decoded.equals(raw) ? List.of(raw) : List.of(decoded, raw);
        return new ClientCredentials(ClientAuthMethod.CLIENT_SECRET_BASIC, candidates);
    }

    private static String decodeBase64Utf8(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw OAuthException.invalidRequest("Malformed Basic credentials");
        }
    }

    /** The RFC 6749 Appendix B reading, or null when the raw text is not valid form-urlencoding. */
    private static Candidate formUrlDecoded(Candidate raw) {
        try {
            String clientId = URLDecoder.decode(raw.clientId(), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(raw.secret(), StandardCharsets.UTF_8);
            return clientId.isEmpty() || secret.isEmpty() ? null : new Candidate(clientId, secret);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
