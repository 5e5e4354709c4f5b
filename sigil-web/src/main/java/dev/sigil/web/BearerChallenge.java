package dev.sigil.web;

import java.time.Instant;

/**
 * The RFC 6750 answer to a request that was not allowed in: status, JSON detail and
 * {@code WWW-Authenticate} header.
 * <p>
 * The validator does not say why it rejected a token, so a rejected token is classified here
 * only to choose the message: a token whose {@code exp} (read without verification) is past,
 * beyond the allowed clock skew, is reported as expired, any other as invalid. The
 * classification never grants anything.
 *
 * @param status 401 or 403; 400 for a Bearer credential spelled in a way the container cannot read
 * @param detail the body's {@code detail}
 * @param header the {@code WWW-Authenticate} value
 */
public record BearerChallenge(int status, String detail, String header) {

    private static final String BEARER = "Bearer ";

    /** No credentials were sent: the bare challenge of RFC 6750 section 3. */
    public static BearerChallenge missing(String realm) {
        return new BearerChallenge(401, "Unauthorized", "Bearer realm=\"" + realm + "\"");
    }

    /** Credentials were sent and rejected. */
    public static BearerChallenge rejected(String realm, String authorization, Instant now, long skewSeconds) {
        if (bearerToken(authorization) == null) {
            return missing(realm);
        }
        boolean expired = isExpired(bearerToken(authorization), now, skewSeconds);
        String description = expired ? "The access token expired" : "The access token is invalid";
        return new BearerChallenge(
                401,
                expired ? "Token expired" : "Invalid token",
                "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    /**
     * A Bearer credential the container did not read: MicroProfile JWT on Payara takes a token
     * only after exactly {@code Bearer} and one space, though the scheme's case and the number of
     * spaces are free (RFC 9110 section 11.1, RFC 6750 section 2.1). RFC 6750's
     * {@code invalid_request}, 400, so that a client fixes its header instead of discarding a
     * token that may well be valid.
     */
    public static BearerChallenge misspelled(String realm) {
        String description = "Write the Authorization header as 'Bearer', one space and the token";
        return new BearerChallenge(
                400,
                description,
                "Bearer realm=\"" + realm + "\", error=\"invalid_request\", error_description=\"" + description + "\"");
    }

    /** Whether the header holds a Bearer token in a spelling other than {@code Bearer} and one space. */
    static boolean isMisspelled(String authorization) {
        return bearerToken(authorization) != null
                && !(authorization.startsWith(BEARER) && authorization.charAt(BEARER.length()) != ' ');
    }

    /**
     * The token was signed by auth but has been revoked (a logout, a password change, a
     * disabled account, an administrator's revocation): RFC 6750 {@code invalid_token}, so the
     * client knows to log in again rather than retry.
     */
    public static BearerChallenge revoked(String realm) {
        return new BearerChallenge(
                401,
                "Token revoked",
                "Bearer realm=\"" + realm
                        + "\", error=\"invalid_token\", error_description=\"The access token has been revoked\"");
    }

    /**
     * The token is valid, but for another audience than the resource accepts (RFC 6750 section
     * 3.1: {@code invalid_token}); the description names the audience to ask for. Audiences are
     * operators' configuration, never a client's text.
     */
    public static BearerChallenge wrongAudience(String realm, String audience) {
        return new BearerChallenge(
                401,
                "Token for another audience",
                "Bearer realm=\"" + realm + "\", error=\"invalid_token\", "
                        + "error_description=\"The access token is not for audience " + audience + "\"");
    }

    /** The token is valid but lacks the group the resource needs. */
    public static BearerChallenge forbidden(String realm) {
        return new BearerChallenge(
                403,
                "Forbidden",
                "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the required group\"");
    }

    /** The token of an {@code Authorization: Bearer} header, or null when there is none. */
    static String bearerToken(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    static boolean isExpired(String token, Instant now, long skewSeconds) {
        return UnverifiedToken.read(token)
                .map(claims -> claims.expired(now.getEpochSecond(), skewSeconds))
                .orElse(false);
    }
}
