package dev.sigil.auth.oauth.control;

import dev.sigil.web.ErrorResponses;

/**
 * An error of the OAuth 2.0 endpoints, answered in the protocol's own shape
 * ({@code {"error", "error_description"}}, RFC 6749 section 5.2) rather than Sigil's JSON API
 * shape, because standard client libraries read the {@code error} code.
 */
public class OAuthError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final int status;
    private final Long retryAfterSeconds;

    private OAuthError(int status, String error, String description, Long retryAfterSeconds) {
        super(allowed(description), null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description, null);
    }

    /** 401 with a {@code Basic} challenge (RFC 6749 section 5.2): unknown client, wrong or missing secret. */
    public static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description, null);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description, null);
    }

    /** {@code invalid_grant} as 429 while the login throttle locks the account or address. */
    public static OAuthError throttled(String description, long retryAfterSeconds) {
        return new OAuthError(429, "invalid_grant", description, retryAfterSeconds);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError(400, "unauthorized_client", description, null);
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError(400, "unsupported_grant_type", description, null);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description, null);
    }

    /** RFC 8707 section 2: a resource or audience the client may not have. */
    public static OAuthError invalidTarget(String description) {
        return new OAuthError(400, "invalid_target", description, null);
    }

    /** The description as {@code error_description} allows it ({@link ErrorResponses#oauthDescription}). */
    static String allowed(String description) {
        return ErrorResponses.oauthDescription(description);
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public int status() {
        return status;
    }

    /** Seconds until a retry may succeed, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
