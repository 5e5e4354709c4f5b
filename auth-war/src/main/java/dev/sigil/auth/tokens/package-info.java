/**
 * Access tokens: short-lived JWTs signed with jose4j, shaped for MicroProfile JWT validators
 * ({@code typ: JWT}, {@code kid}, and the claims {@code iss sub upn groups aud iat exp jti}).
 */
package dev.sigil.auth.tokens;
